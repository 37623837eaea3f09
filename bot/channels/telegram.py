"""Telegram, through the Bot API (https://core.telegram.org/bots/api), at `/webhooks/telegram/webhook`.

Replaces Rasa's TelegramInput, which calls setWebhook while the server starts and stops the server
when Telegram cannot be reached, and calls getMe on every message. Here:
- setWebhook runs after the server has started, in the background, and is retried with back-off
  while the network is down; a refusal (e.g. a webhook URL that is not HTTPS) is logged once.
- Telegram proves a call is its own with the secret token given in setWebhook
  (`X-Telegram-Bot-Api-Secret-Token`): `TELEGRAM_SECRET_TOKEN`, or generated in `var/`.
- Buttons are an inline keyboard (one button per row); answers over 4096 characters are split.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

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
from bot.secrets import secret

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org"
CALLBACK_DATA_MAX_BYTES = 64  # Telegram's limit for an inline button's callback_data
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_RETRY_SECONDS = (2, 5, 15, 60, 300)  # then every 300 s
START_COMMANDS = {"/start": "/greet", "/help": "/greet"}  # Telegram sends /start when a chat opens

API = ProviderApi()


class TelegramOutput(MessagingOutput):
    """Sends messages and photos through the Bot API."""

    limit = 4096

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, token: str, api_url: str) -> None:
        super().__init__()
        self.base = f"{api_url.rstrip('/')}/bot{token}"

    async def call(self, method: str, payload: dict[str, Any]) -> Any | None:
        """Calls a Bot API method; its `result`, or None when it failed."""
        reply = await API.post(f"{self.base}/{method}", f"telegram {method}", json=payload)
        if reply is None or not isinstance(reply[1], dict) or not reply[1].get("ok"):
            return None
        return reply[1].get("result")

    def native_options(self, options: list[Option]) -> bool:
        return all(len(option.payload.encode()) <= CALLBACK_DATA_MAX_BYTES for option in options)

    async def send_texts(self, address: str, texts: list[str], options: list[Option], numbered: bool) -> None:
        for number, text in enumerate(texts, start=1):
            payload: dict[str, Any] = {"chat_id": address, "text": text}
            if options and not numbered and number == len(texts):
                keyboard = [[{"text": o.title, "callback_data": o.payload}] for o in options]
                payload["reply_markup"] = {"inline_keyboard": keyboard}
            await self.call("sendMessage", payload)

    async def send_image_to(self, address: str, url: str) -> None:
        await self.call("sendPhoto", {"chat_id": address, "photo": url})


def webhook_secret() -> str:
    """The secret token Telegram sends with every call (`TELEGRAM_SECRET_TOKEN`, or generated)."""
    return secret("telegram_secret_token", "TELEGRAM_SECRET_TOKEN")


class TelegramInput(MessagingInput):
    """Receives Telegram updates (messages, edited messages, inline-button presses)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        token = credentials.get("access_token") or setting("TELEGRAM_BOT_TOKEN")
        if not token:
            cls.raise_missing_credentials_exception()
        return cls(
            token=token,
            api_url=credentials.get("api_url") or setting("TELEGRAM_API_URL", DEFAULT_API_URL),
            webhook_url=credentials.get("webhook_url")
            or setting("TELEGRAM_WEBHOOK_URL", f"{public_url()}/webhooks/telegram/webhook"),
            secret_token=credentials.get("secret_token") or webhook_secret(),
        )

    def __init__(self, token: str, api_url: str, webhook_url: str, secret_token: str) -> None:
        self.token = token
        self.api_url = api_url
        self.webhook_url = webhook_url
        self.secret_token = secret_token

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.token, self.api_url)

    async def set_webhook(self) -> None:
        """Tells Telegram where to send updates; retries while Telegram cannot be reached."""
        output = self.get_output_channel()
        payload = {
            "url": self.webhook_url,
            "secret_token": self.secret_token,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
        attempt = 0
        while True:
            reply = await API.post(f"{output.base}/setWebhook", "telegram setWebhook", json=payload)
            if reply is not None and reply[0] < 500 and reply[0] != 429:
                if isinstance(reply[1], dict) and reply[1].get("ok"):
                    logger.info("Telegram webhook set to %s", self.webhook_url)
                else:
                    logger.error("Telegram refused the webhook %s; set TELEGRAM_WEBHOOK_URL", self.webhook_url)
                return
            delay = WEBHOOK_RETRY_SECONDS[min(attempt, len(WEBHOOK_RETRY_SECONDS) - 1)]
            logger.warning("Telegram cannot be reached; setWebhook again in %s s", delay)
            attempt += 1
            await asyncio.sleep(delay)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram_webhook", __name__)

        @telegram.listener("after_server_start")
        async def start_setting_webhook(app: Any, loop: asyncio.AbstractEventLoop) -> None:
            app.ctx.telegram_webhook_task = loop.create_task(self.set_webhook())

        @telegram.listener("before_server_stop")
        async def stop(app: Any, _: asyncio.AbstractEventLoop) -> None:
            task = getattr(app.ctx, "telegram_webhook_task", None)
            if task is not None:
                task.cancel()
            await API.close()

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if too_large(request):
                return reject(413, "payload too large")
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                return reject(403, "missing or wrong secret token")
            try:
                update = request.json
            except Exception:  # Sanic raises its own error type for a body that is not JSON
                return reject(400, "body is not JSON")
            if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
                return reject(400, "not a Telegram update")
            parsed = parse_update(update)
            if isinstance(parsed, HTTPResponse):
                return parsed
            if parsed is None:
                return response.json({"status": "ignored"})
            chat_id, text, callback_id = parsed
            output = self.get_output_channel()
            if callback_id:
                await output.call("answerCallbackQuery", {"callback_query_id": callback_id})
            await self.deliver(on_new_message, chat_id, START_COMMANDS.get(text.split(" ")[0], text))
            return response.json({"status": "ok"})

        return telegram


def parse_update(update: dict[str, Any]) -> tuple[str, str, str | None] | HTTPResponse | None:
    """(chat id, text, callback query id) of an update; None for updates without text; 4xx if malformed."""
    query = update.get("callback_query")
    if query is not None:
        if not isinstance(query, dict) or not isinstance(query.get("id"), str):
            return reject(400, "malformed callback_query")
        chat_id = _chat_id(query.get("message"))
        text = usable_text(query.get("data"))
        if chat_id is None or text is None:
            return None  # a button on an old or inline message: nothing to answer
        return chat_id, text, query["id"]
    message = update.get("message") if "message" in update else update.get("edited_message")
    if message is None:
        return None  # other update kinds are not asked for in setWebhook
    if not isinstance(message, dict):
        return reject(400, "malformed message")
    chat_id = _chat_id(message)
    if chat_id is None:
        return reject(400, "message without chat id")
    if message.get("text") is not None and not isinstance(message["text"], str):
        return reject(400, "text must be a string")
    text = usable_text(message.get("text"))
    if text is None:
        return None  # photos, stickers, locations: not understood yet
    if len(text) > MAX_TEXT_CHARACTERS:
        return reject(413, "text too long")
    return chat_id, text, None


def _chat_id(message: Any) -> str | None:
    if not isinstance(message, dict) or not isinstance(message.get("chat"), dict):
        return None
    chat_id = message["chat"].get("id")
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        return None
    return str(chat_id)
