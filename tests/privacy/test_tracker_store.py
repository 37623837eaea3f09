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
