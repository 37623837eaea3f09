"""The refusal questions' order and what is kept, without Rasa (actions/refusal.py)."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.refusal import last_question, next_step

EMPTY = {"consent": None, "place": None, "problem": None, "region": None}


def test_consent_by_button_or_typed_yes_leads_to_the_place_question():
    assert next_step("consent", "inform", {"refusal_consent": "yes"}, EMPTY)[0] == "place"
    step, values = next_step("consent", "affirm", {}, EMPTY)
    assert step == "place" and values["consent"] == "yes"


def test_no_consent_keeps_nothing():
    step, values = next_step("consent", "deny", {}, {**EMPTY, "place": "gp"})
    assert step == "not_counted" and set(values.values()) == {None}


def test_the_questions_come_in_order_and_end_counted():
    values = {**EMPTY, "consent": "yes"}
    step, values = next_step("place", "inform", {"refusal_place": "pharmacy"}, values)
    assert step == "problem"
    step, values = next_step("problem", "inform", {"refusal_problem": "asked_to_pay"}, values)
    assert step == "region"
    step, values = next_step("region", "inform", {"refusal_region": "Utrecht"}, values)
    assert step == "counted"
    assert values == {"consent": "yes", "place": "pharmacy", "problem": "asked_to_pay", "region": "Utrecht"}


def test_a_typed_city_answers_the_province_question():
    values = {"consent": "yes", "place": "gp", "problem": "other", "region": None}
    step, values = next_step("region", "inform", {"city": "Den Haag"}, values)
    assert (step, values["region"]) == ("counted", "Zuid-Holland")


def test_unknown_values_are_never_taken_and_the_question_is_asked_again():
    values = {**EMPTY, "consent": "yes"}
    step, values = next_step("place", "inform", {"refusal_place": "'; DROP TABLE x; --"}, values)
    assert step == "place" and values["place"] is None
    step, _ = next_step("consent", "inform", {"refusal_consent": "maybe"}, EMPTY)
    assert step == "consent"


def test_the_letter_can_be_asked_for_after_either_answer():
    assert next_step("after", "inform", {"refusal_letter": "yes"}, EMPTY)[0] == "letter"
    assert next_step("after", "inform", {"city": "Utrecht"}, EMPTY)[0] == "done"


def test_the_last_question_is_read_from_the_last_bot_action():
    events = [{"event": "action", "name": "utter_refusal_ask_problem"}, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": "/inform"}]
    tracker = Tracker("someone", {}, {}, events, False, None, {}, "action_listen")
    assert last_question(tracker) == "problem"
