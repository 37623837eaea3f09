"""Serves the receptionist cards from Rasa's own server: `/webhooks/cards/<card>/<lang>.png|.html`.

It is an input channel only so that Rasa mounts its routes; it takes no messages.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.cards import card_html, card_png, is_card


class CardsChannel(InputChannel):
    """Read-only routes for card images and printable pages."""

    @classmethod
    def name(cls) -> str:
        return "cards"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> CardsChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        cards = Blueprint("cards_webhook", __name__)

        @cards.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        # Sanic 21.12 cannot route "<language>.png" inside one path segment, so the file name is split here.
        @cards.route("/<card>/<filename>", methods=["GET"])
        async def card_file(_: Request, card: str, filename: str) -> HTTPResponse:
            language, _dot, kind = filename.partition(".")
            if not is_card(card, language) or kind not in ("png", "html"):
                return response.json({"error": "unknown card, language or format"}, status=404)
            if kind == "png":
                return response.raw(
                    card_png(card, language), content_type="image/png", headers={"Cache-Control": "max-age=3600"}
                )
            policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
            return response.html(card_html(card, language), headers={"Content-Security-Policy": policy})

        return cards
