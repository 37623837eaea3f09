"""The few calls of Rasa's HTTP API the mediator inbox needs (with the token of `bot.secrets`).

Pause, resume and the mediator's messages are events appended to the conversation:
`POST /conversations/{id}/tracker/events?execute_side_effects=true&output_channel=latest` sends every
`bot` event in the body through the channel the person last wrote from (socket.io in the same
Rasa process, Telegram, WhatsApp/Twilio, Messenger) and stores it in the conversation. A channel that
cannot push (REST) still stores it. See shared/engineering/rasa-3.6-notes.md §3.
"""
from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.secrets import rasa_api_token

TIMEOUT = aiohttp.ClientTimeout(total=15)


class RasaUnavailable(Exception):
    """Rasa did not answer, or refused the call."""


def rasa_url() -> str:
    """Rasa's HTTP API as the web front reaches it (`RASA_URL`, default localhost:`RASA_PORT`)."""
    return os.environ.get("RASA_URL") or f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"


def _conversation(sender_id: str) -> str:
    return f"{rasa_url().rstrip('/')}/conversations/{quote(sender_id, safe='')}"


async def _call(method: str, url: str, params: dict[str, str], body: Any = None) -> Any:
    params = {**params, "token": rasa_api_token()}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.request(method, url, params=params, json=body) as response:
                if response.status >= 400:
                    raise RasaUnavailable(f"Rasa answered {response.status} to {method} {url.split('?')[0]}")
                return await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise RasaUnavailable(f"Rasa is not reachable: {error}") from error


async def append_events(sender_id: str, events: list[dict[str, Any]], deliver: bool = False) -> None:
    """Appends events; with `deliver`, bot messages among them are also sent to the person."""
    params = {"execute_side_effects": "true", "output_channel": "latest"} if deliver else {}
    await _call("POST", f"{_conversation(sender_id)}/tracker/events", params, events)


async def conversation_events(sender_id: str) -> list[dict[str, Any]]:
    """Every event of the conversation's current session."""
    tracker = await _call("GET", f"{_conversation(sender_id)}/tracker", {"include_events": "ALL"})
    return tracker.get("events") or []


async def conversation_slots(sender_id: str) -> dict[str, Any]:
    tracker = await _call("GET", f"{_conversation(sender_id)}/tracker", {"include_events": "NONE"})
    return tracker.get("slots") or {}


def pause() -> dict[str, Any]:
    return {"event": "pause"}


def resume() -> dict[str, Any]:
    return {"event": "resume"}


def bot_message(text: str, mediator: str | None = None, buttons: list[dict[str, str]] | None = None,
                answer_id: str | None = None) -> dict[str, Any]:
    """A message to the person: a mediator's (`mediator` is who wrote it) or an answer of content/."""
    metadata = {"mediator": mediator} if mediator else {"utter_action": f"utter_{answer_id}"} if answer_id else {}
    event: dict[str, Any] = {"event": "bot", "text": text, "metadata": metadata}
    if buttons:
        event["data"] = {"buttons": buttons}
    return event
