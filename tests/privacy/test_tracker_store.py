"""The redacting tracker store, in-process, on SQLite and on a real PostgreSQL: what is in the table."""
from __future__ import annotations

import asyncio
import json
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import ROOT
from bot.privacy.retention import delete_old_events
from bot.privacy.tracker_store import RedactingSQLTrackerStore

SECRET_TEXT = "bel me op 06-12345678 of mail jan.jansen@example.nl, BSN 111222333, V-nummer 1234567890"
IDENTIFIERS = ["06-12345678", "12345678", "jan.jansen@example.nl", "111222333", "1234567890"]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, monkeypatch, domain):
    monkeypatch.setenv("RETENTION_INTERVAL_MINUTES", "0")
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))  # handoff cases are deleted there too
    if request.param == "postgresql":
        cluster = request.getfixturevalue("postgres")
        monkeypatch.setenv("DATABASE_URL", cluster.url)
        created = RedactingSQLTrackerStore(domain=domain)
        with created.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        created = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "c.db"))
    yield created
    created.engine.dispose()


def rows(store, sender_id=None):
    query = "SELECT sender_id, type_name, data, timestamp FROM events"
    with store.engine.connect() as connection:
        found = connection.execute(sa.text(query)).fetchall()
    return [r for r in found if sender_id is None or r[0] == sender_id]


def turn(tracker, text, domain, *, action="utter_greet"):
    parse = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
             "entities": [{"entity": "city", "value": text, "start": 0, "end": len(text)}]}
    for event in (UserUttered(text, parse_data=parse["intent"] and parse, metadata={"note": text}),
                  SlotSet("city", text), ActionExecuted(action), BotUttered("ok"), ActionExecuted("action_listen")):
        tracker.update(event, domain)


def new_tracker(sender_id, domain):
    tracker = DialogueStateTracker(sender_id, domain.slots)
    for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")):
        tracker.update(event, domain)
    return tracker


def test_nothing_identifying_reaches_the_database(store, domain):
    tracker = new_tracker("person-1", domain)
    turn(tracker, SECRET_TEXT, domain)
    asyncio.run(store.save(tracker))
    stored = " ".join(r[2] for r in rows(store, "person-1"))
    for identifier in IDENTIFIERS:
        assert identifier not in stored
    assert "[phone]" in stored and "[e-mail]" in stored and "[BSN]" in stored and "[V-number]" in stored
    user = [json.loads(r[2]) for r in rows(store, "person-1") if r[1] == "user"][0]
    assert user["text"] == user["parse_data"]["text"]
    assert "06" not in user["parse_data"]["entities"][0]["value"]
    assert "[phone]" in user["metadata"]["note"]
    slot = [json.loads(r[2]) for r in rows(store, "person-1") if r[1] == "slot"][0]
    assert "[BSN]" in slot["value"]


def test_the_next_turn_is_appended_after_the_redacted_one(store, domain):
    tracker = new_tracker("person-2", domain)
    turn(tracker, SECRET_TEXT, domain)
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve("person-2"))
    turn(loaded, "and my address is Kalverstraat 12, 1012 AB", domain)
    asyncio.run(store.save(loaded))
    texts = [json.loads(r[2]).get("text") for r in rows(store, "person-2") if r[1] == "user"]
    assert texts == [
        "bel me op [phone] of mail [e-mail], BSN [BSN], V-nummer [V-number]",
        "and my address is [address], [postcode]",
    ]


def test_forget_me_deletes_every_row_of_the_conversation_and_nothing_else(store, domain):
    other = new_tracker("someone-else", domain)
    turn(other, "hallo", domain)
    asyncio.run(store.save(other))
    tracker = new_tracker("person-3", domain)
    turn(tracker, SECRET_TEXT, domain)
    asyncio.run(store.save(tracker))
    loaded = asyncio.run(store.retrieve("person-3"))
    forget_turn = (UserUttered("/affirm", parse_data={"intent": {"name": "affirm"}}),
                   ActionExecuted("utter_forgotten"), BotUttered("Done."),
                   ActionExecuted("action_forget_me"), Restarted(), ActionExecuted("action_listen"))
    for event in forget_turn:
        loaded.update(event, domain)
    asyncio.run(store.save(loaded))
    assert rows(store, "person-3") == []
    assert asyncio.run(store.retrieve("person-3")) is None
    assert rows(store, "someone-else")


def test_retention_deletes_events_older_than_the_limit_only(store, domain):
    tracker = new_tracker("old-person", domain)
    turn(tracker, "hallo", domain)
    asyncio.run(store.save(tracker))
    recent = new_tracker("recent-person", domain)
    turn(recent, "hallo", domain)
    asyncio.run(store.save(recent))
    now = time.time()
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE events SET timestamp = :old WHERE sender_id = 'old-person'"),
                           {"old": now - 31 * 86400})
    deleted = delete_old_events(store.engine, days=30, now=now)
    assert deleted == len(tracker.events)
    assert rows(store, "old-person") == [] and rows(store, "recent-person")


def long_tracker(sender_id, domain, messages=20):
    """A conversation of `messages` user turns: a language set early, then a form that stays active,
    then a mediator taking over (paused)."""
    from rasa.shared.core.events import ActiveLoop, ConversationPaused

    tracker = new_tracker(sender_id, domain)
    tracker.update(SlotSet("language", "tr"), domain)
    for number in range(messages):
        turn(tracker, f"mesaj {number}", domain)
        if number == 3:
            tracker.update(ActiveLoop("handoff_form"), domain)
            tracker.update(SlotSet("handoff_topic", "huisarts"), domain)
    tracker.update(ConversationPaused(), domain)
    return tracker


def test_a_long_conversation_is_read_back_as_its_last_messages_in_the_same_state(store, domain):
    from bot.conversation_window import KEPT_USER_MESSAGES

    asyncio.run(store.save(long_tracker("long-1", domain)))
    full = asyncio.run(store.retrieve_full_tracker("long-1"))
    recent = asyncio.run(store.retrieve("long-1"))
    assert len([e for e in recent.events if isinstance(e, UserUttered)]) == KEPT_USER_MESSAGES
    assert len(recent.events) < len(full.events) / 2
    assert recent.current_slot_values() == full.current_slot_values()
    assert recent.current_slot_values()["language"] == "tr"
    assert recent.active_loop_name == full.active_loop_name == "handoff_form"
    assert recent.is_paused() and full.is_paused()
    assert recent.latest_message.text == full.latest_message.text
    # What the policies look at (their last max_history turns) is the same.
    assert recent.past_states(domain)[-6:] == full.past_states(domain)[-6:]


def test_the_next_turn_of_a_long_conversation_is_stored_once_after_the_others(store, domain):
    asyncio.run(store.save(long_tracker("long-2", domain, messages=12)))
    before = len(rows(store, "long-2"))
    recent = asyncio.run(store.retrieve("long-2"))
    turn(recent, "son mesaj", domain)
    asyncio.run(store.save(recent))
    stored = [json.loads(r[2]) for r in rows(store, "long-2")]
    assert len(stored) == before + 5  # one turn: user, slot, action, bot, action_listen
    user_texts = [event["text"] for event in stored if event["event"] == "user"]
    assert user_texts == [f"mesaj {n}" for n in range(12)] + ["son mesaj"]
    # Saving the same tracker again adds nothing.
    asyncio.run(store.save(recent))
    assert len(rows(store, "long-2")) == before + 5
    full = asyncio.run(store.retrieve_full_tracker("long-2"))
    assert [e.text for e in full.events if isinstance(e, UserUttered)][-1] == "son mesaj"
    assert full.is_paused() and full.active_loop_name == "handoff_form"


def test_a_short_conversation_is_read_back_as_rasa_reads_it(store, domain):
    from rasa.core.tracker_store import SQLTrackerStore

    asyncio.run(store.save(long_tracker("short-1", domain, messages=3)))
    recent = asyncio.run(store.retrieve("short-1"))
    as_rasa_reads_it = asyncio.run(SQLTrackerStore._retrieve(store, "short-1", fetch_events_from_all_sessions=False))
    assert [e.as_dict() for e in recent.events] == [e.as_dict() for e in as_rasa_reads_it.events]
