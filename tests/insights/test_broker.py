"""The event broker turns Rasa's events into counters and stores no sender id and no text."""
from __future__ import annotations

import asyncio

from bot.insights import store
from bot.insights.broker import InsightsBroker

SENDER = "whatsapp:+31612345678"


def turn(intent: str, text: str, *actions: str, language: str | None = None) -> list[dict]:
    events = [{"event": "user", "sender_id": SENDER, "text": text,
               "parse_data": {"intent": {"name": intent}, "language": "ar", "text": text}}]
    if language:
        events.append({"event": "slot", "sender_id": SENDER, "name": "language", "value": language})
    events += [{"event": "action", "sender_id": SENDER, "name": name} for name in actions]
    return events + [{"event": "action", "sender_id": SENDER, "name": "action_listen"}]


def test_questions_fallbacks_and_handoffs_are_counted_by_language(insights_db):
    broker = asyncio.run(InsightsBroker.from_endpoint_config())
    events = (turn("ask_costs", "كم ادفع", "utter_costs", language="ar")
              + turn("nlu_fallback", "blabla", "utter_ask_rephrase")
              + turn("request_human", "بدي شخص", "handoff_form"))
    for event in events:
        broker.publish(event)
    counts = {(r["kind"], r["topic"], r["language"]): r["count"] for r in store.counter_rows()}
    assert counts == {
        ("question", "ask_costs", "ar"): 1,
        ("fallback", "not understood", "ar"): 1,
        ("question", "request_human", "ar"): 1,
        ("handoff", "request_human", "ar"): 1,
        ("handoff", "handoff_form", "ar"): 1,
    }


def test_no_sender_id_or_text_reaches_the_database(insights_db):
    broker = asyncio.run(InsightsBroker.from_endpoint_config())
    for event in turn("ask_costs", "my name is Fatima and I live at Damstraat 1", "utter_costs", language="en"):
        broker.publish(event)
    stored = insights_db.read_bytes()
    assert SENDER.encode() not in stored and b"Fatima" not in stored and b"Damstraat" not in stored
    assert store.counter_rows()[0]["month"] == store.current_month()


def test_malformed_events_are_ignored(insights_db):
    broker = asyncio.run(InsightsBroker.from_endpoint_config())
    for event in [{}, {"event": "user"}, {"sender_id": 5}, {"event": "user", "sender_id": "x", "parse_data": None},
                  {"event": "action", "sender_id": "x", "name": None}]:
        broker.publish(event)
    assert store.counter_rows() == []
