"""Rasa's REST and socket.io channels with checked input, limits and a polite answer when refused.

Configured in credentials.yml in place of `rest:` and `socketio:`; they keep the names `rest` and
`socketio`, so the URLs (`/webhooks/rest/webhook`, `/socket.io`) and `output_channel` stay the same.

REST (`POST /webhooks/rest/webhook`):
- the body must be a JSON object with `sender` (1-128 of `A-Z a-z 0-9 _ . : @ + = -`) and `message`
  (a string); `metadata` if present must be an object; otherwise 400 `{"error": ...}`, never a 500.
  Bodies over 1 MB get 413. A client-supplied `input_channel` is ignored (Rasa would trust it).
- over the rate limit: 429 with the usual list of messages holding one polite note.
socket.io:
- only the browser origins in `ALLOWED_ORIGINS` may connect (Rasa's default lets any site connect;
  clients that send no Origin, like apps, are let in);
- a malformed `session_request` or `user_uttered` gets an `error` event, not a crash;
- over the rate limit: a polite `bot_uttered`, the message is dropped.
Both: text cleaned (`clean_text`), cut at `MAX_MESSAGE_CHARACTERS` with a note, a note when the
conversation database failed during the message, contact details when nothing else came back.
"""
from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request

from bot import graceful_stop
from bot.privacy.notice import note
from bot.privacy.tracker_store import database_failed_since
from bot.security.limits import (
    ChannelLimits,
    clean_text,
    client_address,
    cut,
    is_valid_sender_id,
    max_message_characters,
    person_language,
)

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"  # as bot/serve.py


def allowed_origins() -> list[str]:
    """Browser origins allowed to open a socket (`ALLOWED_ORIGINS`, comma-separated)."""
    origins = os.environ.get("ALLOWED_ORIGINS") or DEFAULT_ORIGINS
    return [origin.strip() for origin in origins.split(",") if origin.strip()]


def json_error(message: str, status: int = 400) -> response.HTTPResponse:
    """A clear JSON error: `{"error": message}`."""
    return response.json({"error": message}, status=status)


def payload_problem(payload: Any) -> str | None:
    """What is wrong with a REST message body, or None."""
    if not isinstance(payload, dict):
        return "the body must be a JSON object"
    if not is_valid_sender_id(payload.get("sender")):
        return "`sender` must be a string of 1-128 letters, digits or _ . : @ + = -"
    if not isinstance(payload.get("message"), str):
        return "`message` must be a string"
    if payload.get("metadata") is not None and not isinstance(payload.get("metadata"), dict):
        return "`metadata` must be a JSON object"
    return None


def prepare_text(text: str) -> tuple[str, bool]:
    """The text Rasa gets: cleaned, and cut if too long (and whether it was)."""
    return cut(clean_text(text))


async def conversation_language(app: Any, sender_id: str, metadata: Any, text: str) -> str:
    """The conversation's language (its `language` slot), else the message's (`person_language`)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    try:
        tracker = await agent.tracker_store.retrieve(sender_id) if agent else None
        language = tracker.get_slot("language") if tracker else None
    except Exception:  # noqa: BLE001 - e.g. the database is down: the message's language will do
        language = None
    return language or person_language(metadata, text)


def after_message_notes(language: str, was_cut: bool, started: float, got_replies: bool) -> list[str]:
    """Notes to add after the assistant's replies to one message."""
    notes = []
    if was_cut:
        notes.append(note("message_cut", language, max_characters=max_message_characters()))
    if database_failed_since(started):
        notes.append(note("database_unavailable", language))
    elif not got_replies:
        notes.append(note("service_unavailable", language))
    return notes


class GuardedRestInput(RestInput):
    """Rasa's REST channel with checked bodies, limits and polite refusals."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        super().__init__()
        self.limits = ChannelLimits()
        graceful_stop.install()  # the REST channel is in every configuration; one patch per process

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> response.HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return json_error(f"the body is larger than {MAX_BODY_BYTES} bytes", 413)
            try:
                payload = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError, RecursionError):
                return json_error("the body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}")
            problem = payload_problem(payload)
            if problem:
                return json_error(problem)
            sender_id, metadata = payload["sender"], payload.get("metadata")
            text, was_cut = prepare_text(payload["message"])
            address = client_address(request.ip, request.headers.get("x-forwarded-for"))
            if not self.limits.allow(sender_id, address):
                logger.warning("REST rate limit reached (sender or address); message refused")
                polite = note("rate_limited", person_language(metadata, text))
                return response.json([{"recipient_id": sender_id, "text": polite}], status=429,
                                     headers={"Retry-After": "60"})
            collector = CollectingOutputChannel()
            started = time.time()
            try:
                await on_new_message(UserMessage(text, collector, sender_id, input_channel=self.name(),
                                                 metadata=metadata))
            except Exception as error:  # noqa: BLE001 - the person still gets an answer
                logger.error("Handling a REST message failed: %s", type(error).__name__)
            notes_needed = was_cut or database_failed_since(started) or not collector.messages
            language = await conversation_language(request.app, sender_id, metadata, text) if notes_needed else ""
            for extra in after_message_notes(language, was_cut, started, bool(collector.messages)):
                collector.messages.append({"recipient_id": sender_id, "text": extra})
            return response.json(collector.messages)

        return webhook


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with allowed origins, checked events, limits and polite refusals."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        sio.eio.cors_allowed_origins = allowed_origins()
        limits = ChannelLimits()
        namespace = self.namespace or "/"
        handlers = sio.handlers[namespace]
        rasa_session_request = handlers["session_request"]
        rasa_handle_message = handlers[self.user_message_evt]

        async def refuse(sid: str, problem: str) -> None:
            await sio.emit("error", {"error": problem}, room=sid, namespace=namespace)

        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if data is not None and not isinstance(data, dict) or session_id is not None and not is_valid_sender_id(
                    session_id):
                return await refuse(sid, "session_request takes {\"session_id\": \"<1-128 letters or digits>\"}")
            await rasa_session_request(sid, {"session_id": session_id} if session_id else {})

        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            problem = self._message_problem(data)
            if problem:
                return await refuse(sid, problem)
            metadata = data.get(self.metadata_key)
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            text, was_cut = prepare_text(data.get("message") or "")
            sender_id = data["session_id"] if self.session_persistence else sid
            room = sender_id if self.session_persistence else sid
            socket_environ = sio.get_environ(sid, namespace) or {}  # the WSGI-style environ of the handshake
            request = socket_environ.get("sanic.request")
            address = client_address(getattr(request, "ip", None), socket_environ.get(FORWARDED_FOR))
            language = person_language(metadata, text)
            if not limits.allow(sender_id, address):
                logger.warning("socket.io rate limit reached (sender or address); message refused")
                await sio.emit(self.bot_message_evt, {"text": note("rate_limited", language)}, room=room)
                return None
            started = time.time()
            await rasa_handle_message(sid, {**data, "message": text, self.metadata_key: metadata or {}})
            if was_cut or database_failed_since(started):
                language = await conversation_language(getattr(request, "app", None), sender_id, metadata, text)
            for extra in after_message_notes(language, was_cut, started, got_replies=True):
                await sio.emit(self.bot_message_evt, {"text": extra}, room=room)
            return None

        handlers["session_request"] = session_request
        handlers[self.user_message_evt] = handle_message
        return blueprint

    def _message_problem(self, data: Any) -> str | None:
        if not isinstance(data, dict):
            return f"{self.user_message_evt} takes an object: {{\"message\": \"...\", \"session_id\": \"...\"}}"
        if not isinstance(data.get("message", ""), str):
            return "`message` must be a string"
        if self.session_persistence and not is_valid_sender_id(data.get("session_id")):
            return "`session_id` must be a string of 1-128 letters, digits or _ . : @ + = -"
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return f"`{self.metadata_key}` must be a JSON object"
        if metadata is not None and not isinstance(metadata, dict):
            return f"`{self.metadata_key}` must be a JSON object"
        return None
