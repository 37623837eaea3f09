"""Facebook Messenger, through the Graph API's Send API, at `/webhooks/facebook/webhook`.

Replaces Rasa's FacebookInput, which answers a bad signature with 200, compares signatures with
`==`, handles only the first event of a batch and sends with a blocking client. Here:
- `X-Hub-Signature-256` (HMAC-SHA256 of the body with the app secret) is checked, or
  `X-Hub-Signature` (SHA-1) when Meta sends only that; a bad or missing one gets 403;
- every event of a batch is handled; echoes, deliveries and reads are ignored;
- buttons are quick replies (at most 13, titles at most 20 characters); longer lists or titles are
  numbered in the text, with quick replies "1", "2", ... that carry the same payloads.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.config import setting
from bot.channels.messaging import (
    MAX_TEXT_CHARACTERS,
    MessagingInput,
    MessagingOutput,
    Option,
    ProviderApi,
    reject,
    too_large,
    usable_text,
)

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com/v21.0"
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20

API = ProviderApi()


class MessengerOutput(MessagingOutput):
    """Sends through the Send API (`POST /me/messages`)."""

    limit = 2000

    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, page_access_token: str, api_url: str) -> None:
        super().__init__()
        self.url = f"{api_url.rstrip('/')}/me/messages"
        self.token = page_access_token

    async def send(self, address: str, message: dict[str, Any]) -> None:
        body = {"recipient": {"id": address}, "messaging_type": "RESPONSE", "message": message}
        await API.post(self.url, "messenger send", params={"access_token": self.token}, json=body)

    def native_options(self, options: list[Option]) -> bool:
        return len(options) <= MAX_QUICK_REPLIES and all(len(o.title) <= MAX_QUICK_REPLY_TITLE for o in options)

    async def send_texts(self, address: str, texts: list[str], options: list[Option], numbered: bool) -> None:
        for number, text in enumerate(texts, start=1):
            message: dict[str, Any] = {"text": text}
            if options and number == len(texts) and len(options) <= MAX_QUICK_REPLIES:
                message["quick_replies"] = [
                    {"content_type": "text", "title": str(n) if numbered else o.title, "payload": o.payload}
                    for n, o in enumerate(options, start=1)
                ]
            await self.send(address, message)

    async def send_image_to(self, address: str, url: str) -> None:
        await self.send(address, {"attachment": {"type": "image", "payload": {"url": url, "is_reusable": True}}})


def signature_is_valid(app_secret: str, body: bytes, headers: Any) -> bool:
    """Checks `X-Hub-Signature-256` (or, when absent, `X-Hub-Signature`) against the body."""
    for header, algorithm in (("X-Hub-Signature-256", hashlib.sha256), ("X-Hub-Signature", hashlib.sha1)):
        given = headers.get(header)
        if given:
            prefix = "sha256=" if algorithm is hashlib.sha256 else "sha1="
            expected = prefix + hmac.new(app_secret.encode(), body, algorithm).hexdigest()
            return hmac.compare_digest(given.strip().encode(), expected.encode())
    return False


class MessengerInput(MessagingInput):
    """Receives Messenger webhook events after checking their signature."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        values = {
            "page_access_token": credentials.get("page-access-token") or setting("MESSENGER_PAGE_ACCESS_TOKEN"),
            "app_secret": credentials.get("secret") or setting("MESSENGER_APP_SECRET"),
            "verify_token": credentials.get("verify") or setting("MESSENGER_VERIFY_TOKEN"),
        }
        if not all(values.values()):
            cls.raise_missing_credentials_exception()
        return cls(**values, api_url=credentials.get("api_url") or setting("MESSENGER_API_URL", DEFAULT_API_URL))

    def __init__(self, page_access_token: str, app_secret: str, verify_token: str, api_url: str) -> None:
        self.page_access_token = page_access_token
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.api_url = api_url

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.page_access_token, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        messenger = Blueprint("fb_webhook", __name__)

        @messenger.listener("before_server_stop")
        async def stop(*_: Any) -> None:
            await API.close()

        @messenger.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @messenger.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge") or ""
            if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
                token.encode(), self.verify_token.encode()
            ):
                return reject(403, "wrong verify token")
            return response.text(challenge[:200])

        @messenger.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if too_large(request):
                return reject(413, "payload too large")
            if not signature_is_valid(self.app_secret, request.body or b"", request.headers):
                return reject(403, "missing or wrong X-Hub-Signature")
            try:
                payload = request.json
            except Exception:  # Sanic raises its own error type for a body that is not JSON
                return reject(400, "body is not JSON")
            events = messaging_events(payload)
            if isinstance(events, HTTPResponse):
                return events
            for sender, text in events:
                await self.deliver(on_new_message, sender, text)
            return response.json({"status": "ok"})

        return messenger


def messaging_events(payload: Any) -> list[tuple[str, str]] | HTTPResponse:
    """(sender id, text) of each message, quick reply or postback in a webhook call; 400 if malformed."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return reject(400, "not a Messenger webhook event")
    events = []
    for entry in payload["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("messaging", []), list):
            return reject(400, "malformed entry")
        for event in entry.get("messaging", []):
            if not isinstance(event, dict) or not isinstance(event.get("sender"), dict):
                return reject(400, "malformed messaging event")
            sender = event["sender"].get("id")
            if not isinstance(sender, str) or not sender.strip():
                return reject(400, "sender id must be a string")
            text = _event_text(event)
            if text is not None:
                if len(text) > MAX_TEXT_CHARACTERS:
                    return reject(413, "text too long")
                events.append((sender, text))
    return events


def _event_text(event: dict[str, Any]) -> str | None:
    message, postback = event.get("message"), event.get("postback")
    if isinstance(message, dict) and not message.get("is_echo"):
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and usable_text(quick_reply.get("payload")):
            return quick_reply["payload"]
        return usable_text(message.get("text"))  # attachments only: not understood yet
    if isinstance(postback, dict):
        return usable_text(postback.get("payload"))
    return None  # deliveries, reads, echoes
