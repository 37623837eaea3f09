"""Handing a person to a human mediator: consent, town, topic, contact, summary, then a case.

The form `handoff_form` asks, in this order: consent (nothing is stored or shared without it), the
town, the topic, how to be contacted (chat now, a call back, a visit), the phone number (only for a
call back) and the approval of the summary. Every answer is a button, a town, or yes/no; "Cancel"
works at every step. `validate_handoff_form` decides the next question itself (it sets
`requested_slot`), so a refusal or a cancel ends the form at once, with `handoff_outcome` saying how.

The phone number is read from the latest message and kept only in a draft case
(`bot.handoff.cases.save_phone_draft`); the slot `handoff_phone` holds "given", never the number.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.content.store import content
from bot.handoff import cases
from bot.handoff.directory import TOPICS, Organisation
from bot.handoff.routing import Route, directory_for, explain, place_of, route
from bot.languages import DEFAULT

CONTACT_MODES = ("chat", "callback", "visit")
FORM_SLOTS = ("handoff_consent", "handoff_city", "handoff_topic", "handoff_contact", "handoff_phone",
              "handoff_approved", "handoff_outcome")
CITY_BUTTONS = ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen")
# Intents that name a topic, so that a typed question also answers "what do you need help with?".
TOPIC_OF_INTENT = {
    "ask_gp_registration": "gp", "ask_what_to_tell_gp": "gp", "ask_hospital": "hospital",
    "ask_what_to_tell_hospital": "hospital", "report_refusal": "refusal", "ask_bill": "bill",
    "ask_costs": "bill", "ask_pregnancy": "pregnancy", "ask_children": "other", "ask_mental_health": "mental_health",
    "ask_dental": "dental",
}
STOP_INTENTS = ("goodbye", "forget_me")
# E.164: a country code and at most 15 digits in all; fewer than 8 is not a reachable number.
INTERNATIONAL = re.compile(r"\+[1-9]\d{7,14}")
INTERNATIONAL_00 = re.compile(r"00[1-9]\d{7,14}")


def language_of(tracker: Tracker) -> str:
    return tracker.get_slot("language") or DEFAULT


def say(dispatcher: CollectingDispatcher, answer_id: str, language: str, values: dict[str, Any] | None = None,
        buttons: list[dict[str, str]] | None = None) -> None:
    """Sends an answer of content/<lang>/handoff.yml; `buttons` replace the catalogue's."""
    rendered = content().render(answer_id, language, values)
    response = rendered.as_response()
    if buttons is not None:
        response.pop("buttons", None)
        if buttons:
            response["buttons"] = buttons
    # Like a response rendered by Rasa, the bot event names its answer (staff scripts and figures read it).
    dispatcher.utter_message(**response, utter_action=f"utter_{answer_id}")


def button(answer_language: str, key: str, payload: str) -> dict[str, str]:
    """A button whose title is the translated button `key` of content/<lang>/handoff.yml."""
    titles = content().languages[answer_language].buttons
    fallback = content().languages["en"].buttons
    return {"title": titles.get(key) or fallback.get(key, key), "payload": payload}


def choice(value: str) -> str:
    return "/inform" + json.dumps({"handoff_choice": value})


def cancel_button(language: str) -> dict[str, str]:
    return button(language, "handoff_cancel", choice("cancel"))


def normalise_phone(text: str) -> str | None:
    """The number in E.164 form (+31612345678) if `text` is a Dutch or international phone number."""
    digits_only = "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in unicodedata.normalize("NFKC", text.strip()))
    compact = re.sub(r"[\s\-.()/]", "", digits_only)
    if re.fullmatch(INTERNATIONAL, compact):
        number = compact
    elif re.fullmatch(INTERNATIONAL_00, compact):
        number = "+" + compact[2:]
    elif re.fullmatch(r"0[1-9]\d{8}", compact):  # Dutch: 10 digits, mobile 06 or an area code
        number = "+31" + compact[1:]
    else:
        return None
    if number.startswith("+31") and not re.fullmatch(r"\+31[1-9]\d{8}", number):
        return None  # a Dutch number always has nine digits after +31
    return number


def masked_phone(number: str) -> str:
    return number[:3] + " … " + number[-2:] if len(number) > 6 else "…"


def _choice(tracker: Tracker, prefix: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        value = str(entity.get("value") or "")
        if entity.get("entity") == "handoff_choice" and value.startswith(prefix):
            return value[len(prefix):]
    return None


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _wants_to_stop(tracker: Tracker) -> bool:
    """The "Stop" button, or saying goodbye or "forget me" in the middle of the form."""
    return _choice(tracker, "cancel") is not None or _intent(tracker) in STOP_INTENTS


def _route_for(tracker: Tracker, now: datetime | None = None) -> Route:
    city = tracker.get_slot("handoff_city")
    return route(None if city in (None, "none") else city, tracker.get_slot("handoff_topic"),
                 language_of(tracker), now or datetime.now(timezone.utc))


class ValidateHandoffForm(Action):
    """Reads each answer of the handoff form and chooses the next question (or the end)."""

    def name(self) -> str:
        return "validate_handoff_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        requested = tracker.get_slot("requested_slot")
        language = language_of(tracker)
        if requested is None:  # the form was just activated: nothing to read yet
            return []
        # A phone number can look like anything to the intent classifier (digits, "112"-like
        # n-grams); when it is the answer we asked for, it is never an emergency.
        answered_phone = requested == "handoff_phone" and normalise_phone(tracker.latest_message.get("text") or "")
        if _intent(tracker) == "ask_emergency" and not answered_phone:
            say(dispatcher, "emergency", language)  # safety first, then the same question again
            return [SlotSet(requested, None), SlotSet("requested_slot", requested)]
        if requested == "handoff_consent":
            return self._consent(tracker, language)
        if _wants_to_stop(tracker) or (requested == "handoff_approved" and _intent(tracker) == "deny"):
            cases.delete_drafts(tracker.sender_id)
            return self._end("cancelled")
        reader = getattr(self, f"_{requested[len('handoff_'):]}", None)
        if reader is None:
            return self._end("cancelled")
        return reader(dispatcher, tracker, language)

    @staticmethod
    def _end(outcome: str) -> list[dict[str, Any]]:
        return [SlotSet("handoff_outcome", outcome), SlotSet("requested_slot", None)]

    @staticmethod
    def _ask(slot: str, value: Any, next_slot: str | None) -> list[dict[str, Any]]:
        return [SlotSet(slot, value), SlotSet("requested_slot", next_slot)]

    def _consent(self, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        intent = _intent(tracker)
        if intent == "affirm":
            city = tracker.get_slot("city")
            if city:  # a town named earlier in the conversation is not asked again
                return [SlotSet("handoff_consent", "yes"), SlotSet("handoff_city", city),
                        SlotSet("requested_slot", "handoff_topic")]
            return self._ask("handoff_consent", "yes", "handoff_city")
        if intent == "deny" or _wants_to_stop(tracker):
            return [SlotSet("handoff_consent", "no"), *self._end("declined")]
        return self._ask("handoff_consent", None, "handoff_consent")

    def _city(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        if _choice(tracker, "city:") == "none":
            return self._ask("handoff_city", "none", "handoff_topic")
        for entity in tracker.latest_message.get("entities") or []:
            if entity.get("entity") == "city" and entity.get("value"):
                municipality, _province = place_of(str(entity["value"]))
                if municipality:
                    return [SlotSet("handoff_city", municipality), SlotSet("city", municipality),
                            SlotSet("requested_slot", "handoff_topic")]
        say(dispatcher, "handoff_city_unknown", language, buttons=[])
        return self._ask("handoff_city", None, "handoff_city")

    def _topic(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        topic = _choice(tracker, "topic:") or TOPIC_OF_INTENT.get(_intent(tracker) or "")
        if topic in TOPICS:
            return self._ask("handoff_topic", topic, "handoff_contact")
        return self._ask("handoff_topic", None, "handoff_topic")

    def _contact(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        mode = _choice(tracker, "contact:")
        if mode == "callback":
            return self._ask("handoff_contact", mode, "handoff_phone")
        if mode in CONTACT_MODES:
            return self._ask("handoff_contact", mode, "handoff_approved")
        return self._ask("handoff_contact", None, "handoff_contact")

    def _phone(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        number = normalise_phone(tracker.latest_message.get("text") or "")
        if number is None:
            say(dispatcher, "handoff_phone_invalid", language, buttons=[])
            return self._ask("handoff_phone", None, "handoff_phone")
        cases.save_phone_draft(tracker.sender_id, number, language)
        return self._ask("handoff_phone", "given", "handoff_approved")

    def _approved(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
        if _intent(tracker) == "affirm":
            return [SlotSet("handoff_approved", "yes"), *self._end("approved")]
        return self._ask("handoff_approved", None, "handoff_approved")


class ActionAskHandoffConsent(Action):
    """What will be shared, with whom, for how long, and that it can be withdrawn."""

    def name(self) -> str:
        return "action_ask_handoff_consent"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        say(dispatcher, "handoff_consent", language, {"retention_days": f"{cases.retention_days():g}"}, buttons=[
            button(language, "handoff_consent_yes", "/affirm"),
            button(language, "handoff_consent_no", "/deny"),
        ])
        return []


class ActionAskHandoffCity(Action):
    def name(self) -> str:
        return "action_ask_handoff_city"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        buttons = [{"title": city, "payload": "/inform" + json.dumps({"city": city})} for city in CITY_BUTTONS]
        buttons += [button(language, "handoff_city_none", choice("city:none")), cancel_button(language)]
        say(dispatcher, "handoff_ask_city", language, buttons=buttons)
        return []


class ActionAskHandoffTopic(Action):
    def name(self) -> str:
        return "action_ask_handoff_topic"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        buttons = [button(language, f"handoff_topic_{topic}", choice(f"topic:{topic}")) for topic in TOPICS]
        say(dispatcher, "handoff_ask_topic", language, buttons=[*buttons, cancel_button(language)])
        return []


class ActionAskHandoffContact(Action):
    def name(self) -> str:
        return "action_ask_handoff_contact"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        buttons = [button(language, f"handoff_contact_{mode}", choice(f"contact:{mode}")) for mode in CONTACT_MODES]
        say(dispatcher, "handoff_ask_contact", language, buttons=[*buttons, cancel_button(language)])
        return []


class ActionAskHandoffPhone(Action):
    def name(self) -> str:
        return "action_ask_handoff_phone"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        say(dispatcher, "handoff_ask_phone", language, buttons=[cancel_button(language)])
        return []


def summary_lines(tracker: Tracker, language: str, organisation: Organisation) -> list[str]:
    """The summary the person approves, and the mediator reads (in the person's language)."""
    notes = content().languages[language].notes
    english = content().languages["en"].notes

    def label(key: str) -> str:
        return notes.get(key) or english.get(key, key)

    def title(key: str) -> str:
        return button(language, key, "")["title"]

    city = tracker.get_slot("handoff_city")
    contact = tracker.get_slot("handoff_contact") or ""
    lines = [
        f"{label('handoff_label_organisation')}: {organisation.name}",
        f"{label('handoff_label_city')}: {title('handoff_city_none') if city in (None, 'none') else city}",
        f"{label('handoff_label_topic')}: {title('handoff_topic_' + (tracker.get_slot('handoff_topic') or 'other'))}",
        f"{label('handoff_label_contact')}: {title('handoff_contact_' + contact) if contact else ''}",
        f"{label('handoff_label_language')}: {label('handoff_language_name')}",
    ]
    if contact == "callback":
        lines.append(f"{label('handoff_label_phone')}: {masked_phone(cases.draft_phone(tracker.sender_id))}")
    return lines


class ActionAskHandoffApproved(Action):
    """The summary, and the question whether to send it."""

    def name(self) -> str:
        return "action_ask_handoff_approved"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        chosen = _route_for(tracker)
        say(dispatcher, "handoff_summary", language, {
            "organisation": chosen.referral.name,
            "summary": "\n".join(summary_lines(tracker, language, chosen.referral)),
            "reason": explain(chosen, language),
        }, buttons=[button(language, "handoff_send", "/affirm"), cancel_button(language)])
        return []


def contact_details(organisation: Organisation, language: str) -> str:
    """The organisation's published contact details, one per line, labels in `language`."""
    notes = content().languages[language].notes
    english = content().languages["en"].notes

    def label(key: str) -> str:
        return notes.get(key) or english.get(key, key)

    lines = [organisation.name]
    for key, value in (("phone", organisation.phone), ("email", organisation.email),
                       ("walk_in", organisation.walk_in), ("web", organisation.web)):
        if value:
            lines.append(f"{label('handoff_label_' + key)}: {value}")
    if organisation.opening_hours:
        lines.append(f"{label('handoff_label_hours')}: {opening_hours_text(organisation, language)}")
    return "\n".join(lines)


def opening_hours_text(organisation: Organisation, language: str) -> str:
    days = (content().languages[language].notes.get("handoff_weekdays")
            or content().languages["en"].notes["handoff_weekdays"]).split(",")
    parts = []
    for index, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
        spans = organisation.opening_hours.get(day)
        if spans:
            times = ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in spans)
            parts.append(f"{days[index].strip()} {times}")
    return "; ".join(parts)


def when_text(organisation: Organisation, language: str, now: datetime) -> str:
    """An honest line on when the organisation can answer."""
    opening = organisation.next_opening(now)
    if opening is None:
        return " ".join(content().render("handoff_when_unknown", language).messages)
    days = (content().languages[language].notes.get("handoff_weekdays")
            or content().languages["en"].notes["handoff_weekdays"]).split(",")
    return " ".join(content().render("handoff_when_opens", language, {
        "day": days[opening.weekday()].strip(), "time": f"{opening:%H:%M}"}).messages)


def send_contacts(dispatcher: CollectingDispatcher, chosen: Route, language: str) -> None:
    details = "\n\n".join(contact_details(organisation, language) for organisation in chosen.contacts)
    say(dispatcher, "handoff_contacts", language, {"contacts": details, "reason": explain(chosen, language)})


class ActionHandoffFinish(Action):
    """After the form: the case is sent, or only contact details are given, or nothing happens."""

    def name(self) -> str:
        return "action_handoff_finish"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        outcome = tracker.get_slot("handoff_outcome")
        now = datetime.now(timezone.utc)
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if outcome == "approved":
            chosen = _route_for(tracker, now)
            self._submit(tracker, language, chosen)
            organisation = chosen.referral
            mode = tracker.get_slot("handoff_contact")
            values = {"organisation": organisation.name, "when": when_text(organisation, language, now)}
            online = organisation.is_open(now) is not False and cases.mediators_online(organisation.id)
            if mode == "chat" and online:
                say(dispatcher, "handoff_sent_chat", language, values)
            elif mode == "callback":
                say(dispatcher, "handoff_sent_callback", language, values)
            elif mode == "visit":
                say(dispatcher, "handoff_sent_visit", language, values)
            else:
                say(dispatcher, "handoff_sent_waiting", language, values)
            if not (mode == "chat" and online):
                send_contacts(dispatcher, chosen, language)
            return reset
        cases.delete_drafts(tracker.sender_id)
        if outcome == "declined":
            say(dispatcher, "handoff_declined", language)
            send_contacts(dispatcher, _route_for(tracker, now), language)
            return reset
        say(dispatcher, "handoff_cancelled", language)
        return reset

    @staticmethod
    def _submit(tracker: Tracker, language: str, chosen: Route) -> cases.Case:
        city = tracker.get_slot("handoff_city")
        summary = "\n".join(summary_lines(tracker, language, chosen.referral))
        return cases.submit_case(
            sender_id=tracker.sender_id, organisation=chosen.referral.id, language=language,
            city="" if city in (None, "none") else city, province=chosen.province or "",
            topic=tracker.get_slot("handoff_topic") or "other", contact_mode=tracker.get_slot("handoff_contact") or "",
            summary=summary, channel=tracker.get_latest_input_channel() or "")


class ActionFindNgo(Action):
    """The directory answer: organisations for the person's town (asks for the town when unknown)."""

    def name(self) -> str:
        return "action_find_ngo"

    async def run(self, dispatcher, tracker, domain):
        language = language_of(tracker)
        city = next((str(e["value"]) for e in tracker.latest_message.get("entities") or []
                     if e.get("entity") == "city" and e.get("value")), None) or tracker.get_slot("city")
        if not city:
            say(dispatcher, "find_help_nearby", language)
            return []
        municipality, organisations = directory_for(city, datetime.now(timezone.utc))
        details = "\n\n".join(contact_details(organisation, language) for organisation in organisations)
        say(dispatcher, "handoff_directory", language, {"contacts": details, "city": municipality or city})
        return [SlotSet("city", municipality)] if municipality else []
