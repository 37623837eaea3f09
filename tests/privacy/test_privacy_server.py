"""Privacy end to end on the real servers (SQLite here; PostgreSQL in test_postgres_server.py):
the first answer carries the notice, identifiers never reach the database, "forget me" empties it."""
from __future__ import annotations

import json
import re
import time

import pytest
import requests

from bot.content.store import content
from bot.languages import RIGHT_TO_LEFT, SUPPORTED
from bot.privacy.notice import note
from tests.awkward import SAMPLES
from tests.privacy.helpers import (
    FORGET_PHRASES,
    IDENTIFIERS,
    PERSONAL_DETAILS,
    new_sender,
    say,
    stored_events,
    texts,
)

pytestmark = pytest.mark.server
C = content()


def notice_for(servers, language: str) -> str:
    return note("privacy_notice", language, privacy_url=f"{servers.web}/privacy?lang={language}")


def forget_me_leaves_nothing(servers, language: str) -> None:
    """A whole conversation in `language`: notice, details redacted in the table, forget, a clean start."""
    sender = new_sender()
    first = texts(say(servers, sender, SAMPLES[language]))
    assert first[-1] == notice_for(servers, language)
    second = texts(say(servers, sender, f"{SAMPLES[language]} {PERSONAL_DETAILS}"))
    assert notice_for(servers, language) not in second
    stored = json.dumps(stored_events(servers, sender), ensure_ascii=False)
    assert SAMPLES[language] in stored
    for identifier in IDENTIFIERS:
        assert identifier not in stored

    ask = say(servers, sender, FORGET_PHRASES[language])
    assert texts(ask) == C.render("confirm_forget", language).messages
    assert [button["payload"] for button in ask[-1]["buttons"]] == ["/affirm", "/deny"]
    assert texts(say(servers, sender, "/affirm")) == C.render("forgotten", language).messages
    assert stored_events(servers, sender) == []

    again = texts(say(servers, sender, SAMPLES[language]))
    assert again[-1] == notice_for(servers, language), "the next message starts a new conversation"
    users = [event["text"] for event in stored_events(servers, sender) if event["event"] == "user"]
    assert users == [SAMPLES[language]]


@pytest.mark.parametrize("language", SUPPORTED)
def test_forget_me_deletes_everything_in_sqlite(servers, language):
    forget_me_leaves_nothing(servers, language)


def test_saying_no_keeps_the_conversation(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["es"])
    say(servers, sender, FORGET_PHRASES["es"])
    assert texts(say(servers, sender, "/deny")) == C.render("forget_cancelled", "es").messages
    assert any(event.get("text") == SAMPLES["es"] for event in stored_events(servers, sender))


def test_danger_sign_answer_comes_before_the_notice(servers):
    replies = texts(say(servers, new_sender(), "my friend fell down and is not breathing"))
    assert "112" in replies[0] and replies[-1] == notice_for(servers, "en")


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_privacy_page_in_every_language(servers, language):
    url = re.search(r"https?://\S+", notice_for(servers, language)).group(0)
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert f'lang="{language}"' in page.text
    assert f'dir="{"rtl" if language in RIGHT_TO_LEFT else "ltr"}"' in page.text
    assert "script-src" not in page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert FORGET_PHRASES[language] in page.text and "30" in page.text


def test_the_privacy_page_refuses_unknown_languages_and_escapes_nothing_from_the_query(servers):
    assert requests.get(f"{servers.web}/privacy?lang=<script>", timeout=30).status_code == 400
    assert 'lang="nl"' in requests.get(f"{servers.web}/privacy", timeout=30).text


def test_socketio_messages_are_redacted_too(servers):
    import socketio

    session_id = new_sender()
    client = socketio.Client(reconnection=False)
    import threading

    got, confirmed = threading.Event(), threading.Event()
    client.on("bot_uttered", lambda data: got.set())
    client.on("session_confirm", lambda data: confirmed.set())
    client.connect(servers.rasa, transports=["polling"], socketio_path="socket.io")
    client.emit("session_request", {"session_id": session_id})
    assert confirmed.wait(30)
    client.emit("user_uttered", {"message": f"hallo {PERSONAL_DETAILS}", "session_id": session_id,
                                 "customData": {"language": "nl"}})
    assert got.wait(60)
    client.disconnect()
    for _ in range(60):  # the turn is saved after its replies are sent
        if stored_events(servers, session_id):
            break
        time.sleep(0.5)
    stored = json.dumps(stored_events(servers, session_id))
    assert "[phone]" in stored
    for identifier in IDENTIFIERS:
        assert identifier not in stored
