"""Serves the refusal letter from Rasa's own server: `/webhooks/letters/refusal/<lang>.png|.html`.

Like `bot.channels.cards`, an input channel only so that Rasa mounts its routes; it takes no messages.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.refusal_letter import is_letter_language, letter_html, letter_png


class LettersChannel(InputChannel):
    """Read-only routes for the letter's image and printable page."""

    @classmethod
    def name(cls) -> str:
        return "letters"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> LettersChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        letters = Blueprint("letters_webhook", __name__)

        @letters.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @letters.route("/<letter>/<filename>", methods=["GET"])
        async def letter_file(_: Request, letter: str, filename: str) -> HTTPResponse:
            language, _dot, kind = filename.partition(".")
            if letter != "refusal" or not is_letter_language(language) or kind not in ("png", "html"):
                return response.json({"error": "unknown letter, language or format"}, status=404)
            if kind == "png":
                return response.raw(
                    letter_png(language), content_type="image/png", headers={"Cache-Control": "max-age=3600"})
            policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
            return response.html(letter_html(language), headers={"Content-Security-Policy": policy})

        return letters
