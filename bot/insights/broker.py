"""A Rasa event broker that only increments anonymous counters (endpoints.yml `event_broker:`).

Why a broker: Rasa hands every new tracker event to the broker as it is saved, so the counters are
updated while the conversation happens and survive the 30-day deletion of conversations without
ever reading the tracker store again. Nothing with a sender id or a typed text is written: per
conversation this class keeps, in memory only, the intent of the message being answered and the
conversation's language, and forgets both at the end of the turn (or when 10,000 conversations are
newer). What is stored is (month, language, kind, topic) -> count (bot/insights/store.py).

Counted per turn, at the `action_listen` that ends it:
    question  the intent of an understood message (`ask_costs`, `request_human`, ...)
    fallback  a message that was not understood (`nlu_fallback`, or the assistant asked to rephrase)
    handoff   the person asked for a person, or an action of the handoff ran (`action_handoff...`)
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from bot.insights import store
from bot.languages import SUPPORTED

logger = logging.getLogger(__name__)

MAX_CONVERSATIONS = 10_000
FALLBACK_INTENTS = {"nlu_fallback"}
FALLBACK_ACTIONS = {"utter_ask_rephrase", "action_default_fallback"}
HANDOFF_INTENTS = {"request_human"}


@dataclass
class _Turn:
    language: str = "unknown"
    intent: str | None = None
    counts: set[tuple[str, str]] = field(default_factory=set)


class InsightsBroker(EventBroker):
    """Turns the event stream into anonymous counters."""

    def __init__(self) -> None:
        self._turns: OrderedDict[str, _Turn] = OrderedDict()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig | None = None, event_loop: Any = None
    ) -> InsightsBroker:
        store.engine()  # creates the tables now rather than during the first conversation
        return cls()

    def publish(self, event: dict[str, Any]) -> None:
        """Notes what the event says about the current turn; counts when the turn ends."""
        sender = event.get("sender_id")
        if not isinstance(sender, str):
            return
        turn = self._turns.get(sender) or _Turn()
        self._turns[sender] = turn
        self._turns.move_to_end(sender)
        while len(self._turns) > MAX_CONVERSATIONS:
            self._turns.popitem(last=False)
        kind = event.get("event")
        if kind == "user":
            self._on_user(turn, event.get("parse_data") or {})
        elif kind == "slot" and event.get("name") == "language" and event.get("value") in SUPPORTED:
            turn.language = event["value"]
        elif kind == "action":
            self._on_action(sender, turn, str(event.get("name") or ""))

    @staticmethod
    def _on_user(turn: _Turn, parse_data: dict[str, Any]) -> None:
        intent = (parse_data.get("intent") or {}).get("name")
        turn.intent = intent if isinstance(intent, str) else None
        if turn.language == "unknown" and parse_data.get("language") in SUPPORTED:
            turn.language = parse_data["language"]
        if turn.intent in FALLBACK_INTENTS:
            turn.counts.add(("fallback", "not understood"))
        elif turn.intent:
            turn.counts.add(("question", turn.intent))
        if turn.intent in HANDOFF_INTENTS:
            turn.counts.add(("handoff", turn.intent))

    def _on_action(self, sender: str, turn: _Turn, name: str) -> None:
        if name in FALLBACK_ACTIONS:
            turn.counts.add(("fallback", "not understood"))
        elif "handoff" in name:
            turn.counts.add(("handoff", name))
        if name == "action_listen" and turn.counts:
            counts, language = turn.counts, turn.language
            turn.counts, turn.intent = set(), None
            self._store(counts, language)

    @staticmethod
    def _store(counts: set[tuple[str, str]], language: str) -> None:
        def write() -> None:
            for kind, topic in sorted(counts):
                try:
                    store.count(kind, topic, language)
                except Exception:  # figures must never break a conversation
                    logger.exception("could not update an insights counter")

        try:
            asyncio.get_running_loop().run_in_executor(None, write)
        except RuntimeError:  # no event loop (tests, scripts): write now
            write()
