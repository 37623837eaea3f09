"""Counting a refusal anonymously, one question at a time, and offering a letter for the provider.

After the help for a refusal (`utter_report_refusal`) the assistant asks whether to count it
(`utter_refusal_ask_consent`). Every answer is a button whose payload is the `inform` intent with
one entity (`/inform{"refusal_place": "gp"}`, see content/catalogue-refusal.yml); a typed yes/no
answers the consent question, and a typed city answers the province question. This action records
the choice in a slot and sets `refusal_step`; the rules in data/rules/refusal.yml turn that step
into the next question. With consent, the report stored is only (month, place, problem, province):
no sender id, no text, no date (bot/insights/store.py).
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.insights.store import PLACES, PROBLEMS, REGIONS, add_refusal

logger = logging.getLogger(__name__)

ASKED_BY = {  # the question each response asks
    "utter_refusal_ask_consent": "consent",
    "utter_refusal_ask_place": "place",
    "utter_refusal_ask_problem": "problem",
    "utter_refusal_ask_region": "region",
    "utter_refusal_counted": "after",
    "utter_refusal_not_counted": "after",
}
CHOICES = {"place": PLACES, "problem": PROBLEMS, "region": REGIONS}
QUESTIONS = ("place", "problem", "region")


def last_question(tracker: Tracker) -> str | None:
    """The question the assistant asked just before the latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") not in ("action_listen", None):
            return ASKED_BY.get(event["name"])
    return None


def province_of(city: str | None) -> str | None:
    """The province of a municipality named in the message (answers the province question)."""
    if not city:
        return None
    from bot.places import gazetteer

    return gazetteer().province.get(city)


def next_step(asked: str | None, intent: str | None, entities: dict[str, str],
              slots: dict[str, str | None]) -> tuple[str, dict[str, str | None]]:
    """The next step and the slot values after this answer (pure, so it is tested without Rasa)."""
    values = dict(slots)
    if entities.get("refusal_letter"):
        return "letter", values
    if asked == "after":
        return "done", values
    consent = entities.get("refusal_consent")
    if consent is None and asked == "consent" and intent in ("affirm", "deny"):
        consent = "yes" if intent == "affirm" else "no"
    if consent in ("yes", "no"):
        values = {"consent": consent, "place": None, "problem": None, "region": None}
    for question in QUESTIONS:
        chosen = entities.get("refusal_" + question)
        if question == "region" and chosen is None and asked == "region":
            chosen = province_of(entities.get("city"))
        if chosen in CHOICES[question]:
            values[question] = chosen
    if values.get("consent") == "no":
        return "not_counted", {name: None for name in values}
    if values.get("consent") != "yes":
        return "consent", values
    for question in QUESTIONS:
        if not values.get(question):
            return question, values
    return "counted", values


class ActionRefusalSurvey(Action):
    """Records one answer to the refusal questions and says which question comes next."""

    def name(self) -> str:
        return "action_refusal_survey"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        entities = {e.get("entity"): str(e.get("value")) for e in message.get("entities") or [] if e.get("entity")}
        slots = {name: tracker.get_slot("refusal_" + name) for name in ("consent", *QUESTIONS)}
        intent = (message.get("intent") or {}).get("name")
        step, values = next_step(last_question(tracker), intent, entities, slots)
        if step == "counted":
            try:
                add_refusal(values["place"], values["problem"], values["region"])
            except Exception:  # the database is down: say honestly that nothing was counted
                logger.exception("could not store a refusal report")
                step = "not_counted"
            values = {name: None for name in values}
        events = [SlotSet("refusal_" + name, value) for name, value in values.items()]
        return [*events, SlotSet("refusal_step", step)]
