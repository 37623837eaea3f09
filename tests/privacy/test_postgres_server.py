"""The real servers on a real PostgreSQL, and what happens when parts fail.

One set of servers for the module (PostgreSQL started by the `postgres` fixture), with low rate
limits and a trusted proxy so that per-address limits can be tested from 127.0.0.1:
- forget me and redaction, checked in PostgreSQL itself, in every language;
- rate limits per sender and per address, with the polite note in the person's language;
- PostgreSQL restarted mid-conversation: a polite note while it is down, nothing said before is lost;
- the action server stopped: "forget me" still deletes everything;
- Rasa restarted mid-conversation: the conversation goes on where it was.
"""
from __future__ import annotations

import subprocess
import time
from urllib.parse import urlsplit

import pytest
import requests

from bot.languages import SUPPORTED
from bot.paths import ROOT
from bot.privacy.notice import note
from bot.serve import credentials_for, rasa_command
from tests.awkward import SAMPLES
from tests.privacy.helpers import FORGET_PHRASES, new_sender, say, stored_events, texts
from tests.privacy.test_privacy_server import forget_me_leaves_nothing
from tests.servers import MODEL, running_servers, wait_until_up

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def pg_servers(postgres, tmp_path_factory):
    environment = {
        "DATABASE_URL": postgres.url,
        "RATE_LIMIT_SENDER_PER_MINUTE": "20",  # bursts of 6
        "RATE_LIMIT_ADDRESS_PER_MINUTE": "30",  # bursts of 10
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    with running_servers(tmp_path_factory.mktemp("pg-state"), environment=environment) as servers:
        servers.postgres = postgres
        yield servers


@pytest.mark.parametrize("language", SUPPORTED)
def test_forget_me_deletes_everything_in_postgresql(pg_servers, language):
    forget_me_leaves_nothing(pg_servers, language)


def test_a_sender_who_floods_gets_a_polite_note_in_their_language(pg_servers):
    sender = new_sender()
    statuses, last = [], None
    for _ in range(10):
        response = requests.post(f"{pg_servers.rasa}/webhooks/rest/webhook", timeout=120, json={
            "sender": sender, "message": SAMPLES["ar"], "metadata": {"language": "ar"}})
        statuses.append(response.status_code)
        last = response
    assert 200 in statuses and 429 in statuses
    assert last.status_code == 429 and last.json()[0]["text"] == note("rate_limited", "ar")


def test_one_address_with_many_senders_is_limited_too(pg_servers):
    statuses = [requests.post(f"{pg_servers.rasa}/webhooks/rest/webhook", timeout=120,
                              headers={"X-Forwarded-For": "203.0.113.77"},
                              json={"sender": new_sender(), "message": "/greet"}).status_code
                for _ in range(14)]
    assert statuses[:5] == [200] * 5 and 429 in statuses
    other = requests.post(f"{pg_servers.rasa}/webhooks/rest/webhook", timeout=120,
                          headers={"X-Forwarded-For": "203.0.113.78"}, json={"sender": new_sender(), "message": "hi"})
    assert other.status_code == 200


def test_postgresql_restart_mid_conversation_loses_nothing_said_before(pg_servers):
    sender = new_sender()
    say(pg_servers, sender, SAMPLES["pt"])
    pg_servers.postgres.stop()
    try:
        during = texts(say(pg_servers, sender, "/ask_costs", metadata={"language": "pt"}))
        assert during[-1] == note("database_unavailable", "pt")
        assert len(during) > 1, "the question is still answered"
    finally:
        pg_servers.postgres.start()
    time.sleep(1)
    after = texts(say(pg_servers, sender, "/ask_pharmacy"))
    assert note("database_unavailable", "pt") not in after
    users = [event["text"] for event in stored_events(pg_servers, sender) if event["event"] == "user"]
    assert users[0] == SAMPLES["pt"] and users[-1] == "/ask_pharmacy"
    log = (pg_servers.state_dir / "rasa.log").read_text()
    assert "Conversation database unreachable while reading a conversation" in log


def test_forget_me_works_while_the_action_server_is_down(pg_servers):
    sender = new_sender()
    say(pg_servers, sender, SAMPLES["tr"])
    actions = pg_servers.processes[0]
    actions.terminate()
    actions.wait(timeout=30)
    say(pg_servers, sender, FORGET_PHRASES["tr"])
    say(pg_servers, sender, "/affirm")
    assert stored_events(pg_servers, sender) == []
    log = (pg_servers.state_dir / "rasa.log").read_text()
    assert "Action server failed running action_forget_me" in log


def test_rasa_restart_mid_conversation_goes_on_where_it_was(pg_servers):
    sender = new_sender()
    say(pg_servers, sender, SAMPLES["fa"])
    rasa = pg_servers.processes[1]
    rasa.terminate()
    rasa.wait(timeout=60)
    port = urlsplit(pg_servers.rasa).port
    command = rasa_command(MODEL, port, pg_servers.state_dir / "endpoints.yml", credentials_for(pg_servers.env))
    log = pg_servers.state_dir / "rasa-restarted.log"
    with open(log, "w") as out:
        pg_servers.processes[1] = subprocess.Popen(command, cwd=ROOT, env=pg_servers.env, stdout=out,
                                                   stderr=subprocess.STDOUT)
    wait_until_up(f"{pg_servers.rasa}/status?token={pg_servers.token}", pg_servers.processes[1], log)
    replies = texts(say(pg_servers, sender, "ok"))
    tracker = requests.get(f"{pg_servers.rasa}/conversations/{sender}/tracker",
                           params={"token": pg_servers.token}, timeout=30).json()
    assert tracker["slots"]["language"] == "fa"
    users = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert users == [SAMPLES["fa"], "ok"]
    notice = note("privacy_notice", "fa", privacy_url=f"{pg_servers.web}/privacy?lang=fa")
    assert replies and notice not in replies, "not a new conversation"
