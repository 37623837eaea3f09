"""The whole handoff over real servers: a socket.io user, Rasa + the action server, the inbox over HTTP."""
from __future__ import annotations

import json
import time

import pytest
import requests
import sqlalchemy as sa

from bot.content.store import content
from bot.database import cases as cases_table
from bot.database import engine
from bot.handoff import cases
from bot.languages import SUPPORTED
from tests.handoff.chat_user import ChatUser
from tests.handoff.mediator import Mediator

pytestmark = pytest.mark.server
C = content()
XSS = "<img src=x onerror=alert(1)>"


def text(answer_id: str, language: str, index: int = 0, **values) -> str:
    return C.render(answer_id, language, values).messages[index]


def choice(value: str) -> str:
    return "/inform" + json.dumps({"handoff_choice": value})


def city(name: str) -> str:
    return "/inform" + json.dumps({"city": name})


def rows_for(sender_id: str) -> list:
    with engine().connect() as db:
        return list(db.execute(sa.select(cases_table).where(cases_table.c.sender_id == sender_id)))


def tracker(servers, sender_id: str) -> dict:
    response = requests.get(f"{servers.rasa}/conversations/{sender_id}/tracker",
                            params={"token": servers.token}, timeout=30)
    assert response.status_code == 200
    return response.json()


def hand_over(user: ChatUser, language: str, town: str, topic: str, contact: str, organisation: str) -> None:
    """Consent, town, topic and contact by buttons, then the summary is approved."""
    user.ask("/request_human", text("handoff_consent", language))
    user.ask("/affirm", text("handoff_ask_city", language))
    user.ask(city(town), text("handoff_ask_topic", language))
    user.ask(choice(f"topic:{topic}"), text("handoff_ask_contact", language))
    since = user.say(choice(f"contact:{contact}"))
    user.wait_for(lambda t: t == text("handoff_summary", language, 3), since)  # "Shall I send it?"
    shown = "\n".join(m.get("text", "") for m in user.received[since:])
    assert text("handoff_summary", language, organisation=organisation) in shown and town in shown


def test_consented_chat_reaches_the_right_mediator_and_back(servers, front):
    stil = Mediator(front, "stil-mediator", "stil")
    other = Mediator(front, "kruispost-mediator", "kruispost")
    user = ChatUser(servers.rasa, "en")
    try:
        hand_over(user, "en", "Utrecht", "refusal", "chat", "STIL (Stichting LauwRecht)")
        user.ask("/affirm", text("handoff_sent_chat", "en", organisation="STIL (Stichting LauwRecht)"))

        case = cases.open_case_for_sender(user.session_id)
        assert case and case.organisation == "stil" and case.status == cases.WAITING and case.phone == ""
        assert f"/mediator/cases/{case.id}" in stil.inbox()
        assert case.id not in other.inbox()
        assert other.get(f"/mediator/cases/{case.id}").status_code == 403
        assert other.get(f"/mediator/cases/{case.id}/messages").status_code == 403
        assert other.post(f"/mediator/cases/{case.id}/reply", {"text": "hi"}).status_code == 403
        assert requests.get(f"{front}/mediator/cases/{case.id}", allow_redirects=False, timeout=10).status_code == 302
        assert stil.post(f"/mediator/cases/{case.id}/take", csrf=False).status_code == 403

        page = stil.get(f"/mediator/cases/{case.id}")
        assert page.status_code == 200 and "Utrecht" in page.text and "refusal" in page.text

        since = len(user.received)
        assert stil.post(f"/mediator/cases/{case.id}/take").status_code == 303
        user.wait_for(lambda t: t == text("handoff_taken", "en", organisation="STIL (Stichting LauwRecht)"), since)

        # The assistant is paused: the person's message gets no bot answer, and reaches the inbox fast.
        since = len(user.received)
        written = f"Hello, my GP sent me away {XSS}"
        user.say(written)
        started, seen = time.time(), False
        while time.time() - started < 2.0 and not seen:
            messages = stil.get(f"/mediator/cases/{case.id}/messages").json()["messages"]
            seen = any(m["from"] == "person" and m["text"] == written for m in messages)
            time.sleep(0.1)
        assert seen, "the person's message did not reach the inbox within 2 seconds"
        assert user.quiet_for(1.5, since), "the assistant answered while a mediator had the chat"

        since = len(user.received)
        reply = "We can call the GP with you tomorrow."
        assert stil.post(f"/mediator/cases/{case.id}/reply", {"text": reply}).status_code == 303
        user.wait_for(lambda t: t == reply, since, seconds=10)
        stored = [e for e in tracker(servers, user.session_id)["events"] if e["event"] == "bot" and e["text"] == reply]
        assert stored and stored[0]["metadata"]["mediator"] == "stil-mediator"

        since = len(user.received)
        assert stil.post(f"/mediator/cases/{case.id}/hand-back").status_code == 303
        stil_name = "STIL (Stichting LauwRecht)"
        user.wait_for(lambda t: t.startswith(text("handoff_handed_back", "en", organisation=stil_name)), since)
        user.ask("/greet", text("greet", "en"))  # the assistant answers again
        answers = [e["metadata"].get("utter_action") for e in tracker(servers, user.session_id)["events"]
                   if e["event"] == "bot"]
        assert {"utter_handoff_consent", "utter_handoff_taken", "utter_handoff_handed_back"} <= set(answers)

        assert stil.post(f"/mediator/cases/{case.id}/close").status_code == 303
        assert cases.get_case(case.id).status == cases.CLOSED
        assert case.id not in stil.inbox()
    finally:
        user.close()


def test_refused_consent_stores_nothing_and_gives_contact_details(servers, front):
    user = ChatUser(servers.rasa, "nl")
    try:
        user.ask("/request_human", text("handoff_consent", "nl"))
        user.ask("/deny", text("handoff_declined", "nl"))
        user.wait_for(lambda t: "020-7653801" in t)
        assert rows_for(user.session_id) == []
        slots = tracker(servers, user.session_id)["slots"]
        assert all(slots.get(name) is None for name in ("handoff_city", "handoff_topic", "handoff_contact"))
    finally:
        user.close()


def test_call_back_number_is_kept_only_in_the_case(servers, front):
    Mediator(front, "dvdw-mediator", "dvdw")
    user = ChatUser(servers.rasa, "ar")
    try:
        user.ask("/request_human", text("handoff_consent", "ar"))
        user.ask("/affirm", text("handoff_ask_city", "ar"))
        user.ask(city("Den Haag"), text("handoff_ask_topic", "ar"))
        user.ask(choice("topic:gp"), text("handoff_ask_contact", "ar"))
        user.ask(choice("contact:callback"), text("handoff_ask_phone", "ar"))
        user.ask("06 12", text("handoff_phone_invalid", "ar"))  # too short to be a number
        since = user.say("06 9876 5432")
        user.wait_for(lambda t: t == text("handoff_summary", "ar", 3), since)  # the question after the summary
        shown = "\n".join(m.get("text", "") for m in user.received[since:])
        assert "+31 … 32" in shown and "98765432" not in shown
        user.ask("/affirm", text("handoff_sent_callback", "ar", organisation="Dokters van de Wereld",
                                 when=text("handoff_when_unknown", "ar")))
        case = cases.open_case_for_sender(user.session_id)
        assert case.phone == "+31698765432" and case.organisation == "dvdw" and case.language == "ar"
        events = tracker(servers, user.session_id)["events"]
        slot_values = [str(e.get("value")) for e in events if e["event"] == "slot"]
        assert not any("98765432" in value for value in slot_values)
        assert "given" in slot_values
    finally:
        user.close()


def test_stopping_at_the_phone_number_deletes_the_draft(servers, front):
    user = ChatUser(servers.rasa, "fr")
    try:
        user.ask("/request_human", text("handoff_consent", "fr"))
        user.ask("/affirm", text("handoff_ask_city", "fr"))
        user.ask(city("Rotterdam"), text("handoff_ask_topic", "fr"))
        user.ask(choice("topic:gp"), text("handoff_ask_contact", "fr"))
        user.ask(choice("contact:callback"), text("handoff_ask_phone", "fr"))
        ros = "Stichting ROS (Rotterdams Ongedocumenteerden Steunpunt)"
        user.ask("+32 470 12 34 56", text("handoff_summary", "fr", organisation=ros))
        assert [row.status for row in rows_for(user.session_id)] == [cases.DRAFT]
        user.ask(choice("cancel"), text("handoff_cancelled", "fr"))
        assert rows_for(user.session_id) == []
    finally:
        user.close()


@pytest.mark.parametrize("language", SUPPORTED)
def test_nobody_online_gets_an_honest_answer_and_contact_details_at_once(servers, front, language):
    user = ChatUser(servers.rasa, language)
    try:
        user.ask("/request_human", text("handoff_consent", language))
        user.ask("/affirm", text("handoff_ask_city", language))
        user.ask(city("Maastricht"), text("handoff_ask_topic", language))  # no organisation online for Limburg
        user.ask(choice("topic:bill"), text("handoff_ask_contact", language))
        user.ask(choice("contact:chat"), text("handoff_summary", language, organisation="Dokters van de Wereld"))
        with engine().begin() as db:  # nobody of the helpdesk has the inbox open
            db.execute(sa.text("DELETE FROM mediator_presence WHERE organisation = 'dvdw'"))
        user.ask("/affirm", text("handoff_sent_waiting", language, organisation="Dokters van de Wereld",
                                 when=text("handoff_when_unknown", language)))
        user.wait_for(lambda t: "020-7653801" in t and "zorgrecht@doktersvandewereld.org" in t)
        assert cases.open_case_for_sender(user.session_id).status == cases.WAITING
    finally:
        user.close()
