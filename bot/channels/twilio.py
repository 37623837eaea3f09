"""WhatsApp (or SMS) through Twilio, at `/webhooks/twilio/webhook`.

Replaces Rasa's TwilioInput, which does not check `X-Twilio-Signature` (anyone could post as any
phone number), puts the phone number in the tracker, and sends with Twilio's blocking client inside
the async server. Here the signature is checked with Twilio's RequestValidator, the number becomes
a pseudonymous id, and messages go to the Messages API with aiohttp.
WhatsApp has no buttons outside approved templates: options are numbered in the text.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.cards import public_url
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

DEFAULT_API_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
WEBHOOK_PATH = "/webhooks/twilio/webhook"

API = ProviderApi()


class TwilioOutput(MessagingOutput):
    """Sends through Twilio's Messages API (`/2010-04-01/Accounts/<sid>/Messages.json`)."""

    limit = 1600  # Twilio's limit for a WhatsApp message body

    @classmethod
    def name(cls) -> str:
        return "twilio"

    def __init__(self, account_sid: str, auth_token: str, number: str, api_url: str) -> None:
        super().__init__()
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = aiohttp.BasicAuth(account_sid, auth_token)
        self.number = number

    async def create_message(self, fields: dict[str, str]) -> None:
        await API.post(self.url, "twilio Messages.create", data={"From": self.number, **fields}, auth=self.auth)

    async def send_texts(self, address: str, texts: list[str], options: list[Option], numbered: bool) -> None:
        for text in texts:
            await self.create_message({"To": address, "Body": text})

    async def send_image_to(self, address: str, url: str) -> None:
        await self.create_message({"To": address, "MediaUrl": url})


class TwilioInput(MessagingInput):
    """Receives Twilio's form posts, after checking their signature."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        values = {
            "account_sid": credentials.get("account_sid") or setting("TWILIO_ACCOUNT_SID"),
            "auth_token": credentials.get("auth_token") or setting("TWILIO_AUTH_TOKEN"),
            "number": credentials.get("twilio_number") or setting("TWILIO_WHATSAPP_NUMBER"),
        }
        if not all(values.values()):
            cls.raise_missing_credentials_exception()
        return cls(
            **values,
            api_url=credentials.get("api_url") or setting("TWILIO_API_URL", DEFAULT_API_URL),
            webhook_url=credentials.get("webhook_url") or setting("TWILIO_WEBHOOK_URL"),
        )

    def __init__(
        self, account_sid: str, auth_token: str, number: str, api_url: str, webhook_url: str = ""
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.number = number
        self.api_url = api_url
        self.webhook_url = webhook_url
        self.validator = RequestValidator(auth_token)

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.number, self.api_url)

    def signature_is_valid(self, request: Request) -> bool:
        """Twilio signs the URL it called plus the form fields. Behind a proxy the URL we see differs
        from the one Twilio called, so the configured public URL is tried too."""
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature:
            return False
        query = f"?{request.query_string}" if request.query_string else ""
        urls = [self.webhook_url, f"{public_url()}{WEBHOOK_PATH}{query}", request.url]
        return any(url and self.validator.validate(url, request.form, signature) for url in urls)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio = Blueprint("twilio_webhook", __name__)

        @twilio.listener("before_server_stop")
        async def stop(*_: Any) -> None:
            await API.close()

        @twilio.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if too_large(request):
                return reject(413, "payload too large")
            if not request.content_type.startswith("application/x-www-form-urlencoded"):
                return reject(415, "expected a form post (application/x-www-form-urlencoded)")
            try:
                valid = self.signature_is_valid(request)
            except Exception:  # a body the form parser or validator cannot read
                return reject(400, "unreadable form")
            if not valid:
                return reject(403, "missing or wrong X-Twilio-Signature")
            sender = usable_text(request.form.get("From"))
            if sender is None:
                return reject(400, "From is missing")
            text = usable_text(request.form.get("Body"))
            if text is None:
                return response.empty()  # media, location or an empty message: not understood yet
            if len(text) > MAX_TEXT_CHARACTERS:
                return reject(413, "text too long")
            await self.deliver(on_new_message, sender.strip(), text)
            return response.empty()  # 204: the replies go out through the Messages API

        return twilio
