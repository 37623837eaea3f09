"""Serves the receptionist cards from Rasa's own server: `/webhooks/cards/<card>/<lang>.png|.html`.

It is an input channel only so that Rasa mounts its routes; it takes no messages.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.cards import card_html, card_png, is_card


class CardsChannel(InputChannel):
    """Read-only routes for card images and printable pages."""

    @classmethod
    def name(cls) -> Text:
        return "cards"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CardsChannel":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        cards = Blueprint("cards_webhook", __name__)

        @cards.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @cards.route("/<card>/<language>.png", methods=["GET"])
        async def image(_: Request, card: Text, language: Text) -> HTTPResponse:
            if not is_card(card, language):
                return response.json({"error": "unknown card or language"}, status=404)
            return response.raw(card_png(card, language), content_type="image/png",
                                headers={"Cache-Control": "public, max-age=3600"})

        @cards.route("/<card>/<language>.html", methods=["GET"])
        async def page(_: Request, card: Text, language: Text) -> HTTPResponse:
            if not is_card(card, language):
                return response.json({"error": "unknown card or language"}, status=404)
            return response.html(card_html(card, language), headers={
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
            })

        return cards
