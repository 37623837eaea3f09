"""The handoff form's decisions (actions/handoff.py), run on rasa-sdk trackers: no server, no model."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionFindNgo, ActionHandoffFinish, ValidateHandoffForm
from bot.content.store import content
from bot.handoff import cases


@pytest.fixture(autouse=True)
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("CASES_DATABASE_URL", raising=False)


def tracker(requested: str | None, intent: str = "inform", text: str = "", entities=(), sender: str = "person-1",
            **slots) -> Tracker:
    values = {"language": "en", "requested_slot": requested, **slots}
    message = {"intent": {"name": intent}, "entities": list(entities), "text": text}
    return Tracker(sender, values, message, [], False, None, {"name": "handoff_form"}, "action_listen")


def run(action, state: Tracker) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, state, {}))
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, [m["text"] for m in dispatcher.messages]


def test_yes_to_consent_asks_for_the_town():
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_consent", "affirm"))
    assert slots == {"handoff_consent": "yes", "requested_slot": "handoff_city"}


def test_a_town_named_before_is_not_asked_again():
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_consent", "affirm", city="Utrecht"))
    assert slots["handoff_city"] == "Utrecht" and slots["requested_slot"] == "handoff_topic"


def test_no_to_consent_ends_the_form_as_declined():
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_consent", "deny"))
    assert slots["handoff_outcome"] == "declined" and slots["requested_slot"] is None


def test_a_town_in_any_spelling_is_kept_as_the_municipality():
    entity = {"entity": "city", "value": "La Haye"}
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_city", entities=[entity]))
    assert slots["handoff_city"] == "Den Haag" and slots["requested_slot"] == "handoff_topic"


def test_an_unknown_town_is_asked_again():
    slots, messages = run(ValidateHandoffForm(), tracker("handoff_city", text="somewhere"))
    assert slots == {"handoff_city": None, "requested_slot": "handoff_city"}
    assert messages == [content().render("handoff_city_unknown", "en").messages[0]]


def test_a_typed_question_answers_the_topic():
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_topic", "ask_pregnancy"))
    assert slots["handoff_topic"] == "pregnancy"


def test_only_a_call_back_asks_for_a_phone_number():
    choice = {"entity": "handoff_choice", "value": "contact:callback"}
    assert run(ValidateHandoffForm(), tracker("handoff_contact", entities=[choice]))[0]["requested_slot"] == \
        "handoff_phone"
    choice = {"entity": "handoff_choice", "value": "contact:chat"}
    assert run(ValidateHandoffForm(), tracker("handoff_contact", entities=[choice]))[0]["requested_slot"] == \
        "handoff_approved"


def test_the_phone_number_goes_to_a_draft_case_never_to_a_slot():
    slots, _ = run(ValidateHandoffForm(), tracker("handoff_phone", text="06 1234 5678"))
    assert slots == {"handoff_phone": "given", "requested_slot": "handoff_approved"}
    assert cases.draft_phone("person-1") == "+31612345678"


def test_a_phone_number_misread_as_an_emergency_is_still_the_phone_number():
    # Seen with the real model: "+32 470 12 34 56" was classified as ask_emergency.
    slots, messages = run(ValidateHandoffForm(), tracker("handoff_phone", "ask_emergency", text="+32 470 12 34 56"))
    assert slots == {"handoff_phone": "given", "requested_slot": "handoff_approved"}
    assert not any("112" in message for message in messages)


def test_a_wrong_phone_number_is_asked_again():
    slots, messages = run(ValidateHandoffForm(), tracker("handoff_phone", text="twelve"))
    assert slots["handoff_phone"] is None and slots["requested_slot"] == "handoff_phone" and messages


@pytest.mark.parametrize("requested", ["handoff_city", "handoff_topic", "handoff_contact", "handoff_phone",
                                       "handoff_approved"])
def test_stop_works_at_every_step_and_deletes_the_draft(requested):
    cases.save_phone_draft("person-1", "+31612345678", "en")
    cancel = {"entity": "handoff_choice", "value": "cancel"}
    slots, _ = run(ValidateHandoffForm(), tracker(requested, entities=[cancel]))
    assert slots["handoff_outcome"] == "cancelled" and slots["requested_slot"] is None
    assert cases.draft_phone("person-1") == ""


def test_a_danger_sign_during_the_form_gets_the_emergency_answer_first():
    slots, messages = run(ValidateHandoffForm(), tracker("handoff_topic", "ask_emergency"))
    assert "112" in messages[0] and slots["requested_slot"] == "handoff_topic"


def approved(**slots) -> Tracker:
    values = {"handoff_consent": "yes", "handoff_city": "Utrecht", "handoff_topic": "refusal",
              "handoff_contact": "visit", "handoff_approved": "yes", "handoff_outcome": "approved", **slots}
    return tracker(None, "affirm", **values)


def test_an_approved_summary_becomes_a_case_for_the_chosen_organisation():
    slots, messages = run(ActionHandoffFinish(), approved())
    case = cases.open_case_for_sender("person-1")
    assert case.organisation == "stil" and case.topic == "refusal" and case.contact_mode == "visit"
    assert "Town: Utrecht" in case.summary
    assert all(value is None for name, value in slots.items() if name.startswith("handoff_"))
    assert any("STIL" in message for message in messages)


def test_declined_consent_gives_contact_details_and_stores_nothing():
    _, messages = run(ActionHandoffFinish(), tracker(None, "deny", handoff_outcome="declined"))
    assert "020-7653801" in "\n".join(messages)
    assert cases.open_case_for_sender("person-1") is None


def test_forget_me_deletes_every_case_of_the_person():
    run(ActionHandoffFinish(), approved())
    cases.save_phone_draft("person-1", "+31612345678", "en")
    assert cases.delete_cases_for_sender("person-1") == 2
    assert cases.open_case_for_sender("person-1") is None


def test_closed_cases_are_deleted_after_the_retention_days(monkeypatch):
    run(ActionHandoffFinish(), approved())
    case = cases.open_case_for_sender("person-1")
    cases.set_status(case.id, cases.CLOSED)
    monkeypatch.setenv("CASES_RETENTION_DAYS", "30")
    assert cases.delete_expired_cases() == 0
    assert cases.delete_expired_cases(now=case.created_at + 31 * 86400) == 1
    assert cases.get_case(case.id) is None


def test_case_ids_are_long_and_random():
    ids = {cases.submit_case(sender_id=f"p{n}", organisation="dvdw", language="en", city="", province="",
                             topic="gp", contact_mode="chat", summary="", channel="").id for n in range(20)}
    assert len(ids) == 20 and all(len(case_id) >= 20 for case_id in ids)


def test_the_directory_answer_lists_the_organisations_of_the_town():
    _, messages = run(ActionFindNgo(), tracker(None, "inform", entities=[{"entity": "city", "value": "Amsterdam"}]))
    text = "\n".join(messages)
    assert "Stichting Kruispost" in text and "020-7653801" in text


def test_each_message_names_its_answer_like_a_rasa_response():
    dispatcher = CollectingDispatcher()
    asyncio.run(ValidateHandoffForm().run(dispatcher, tracker("handoff_city", text="somewhere"), {}))
    assert dispatcher.messages[0]["utter_action"] == "utter_handoff_city_unknown"
