"""Every webhook against empty, huge, malformed and hostile input: a clear 4xx or a normal answer,
never a 500, and the conversation goes on afterwards.

`WEBHOOKS` is the list to extend: each entry posts a body to one webhook and says whether the
server survived. The messaging channels add theirs the same way (their own payload shape).
"""
from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests
import socketio

from bot.languages import SUPPORTED
from bot.security.limits import max_message_characters
from tests.awkward import AWKWARD_STRINGS, SAMPLES

pytestmark = pytest.mark.server

# Hostile or odd strings, with each language's real question around them.
NAUGHTY = AWKWARD_STRINGS + [
    f"{SAMPLES[language]} {extra}"
    for language in SUPPORTED
    for extra in ("<img src=x onerror=alert(1)>", "\u202egnp.exe", "\x00\x1b[31m", "%00%0d%0a", "${jndi:x}")
]

MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("not json", b"hello"),
    ("truncated json", b'{"sender": "a", "message": "hi"'),
    ("json list", b"[]"),
    ("json string", b'"hi"'),
    ("json null", b"null"),
    ("number sender", b'{"sender": 5, "message": "hi"}'),
    ("object message", b'{"sender": "a", "message": {"text": "hi"}}'),
    ("list message", b'{"sender": "a", "message": ["hi"]}'),
    ("null message", b'{"sender": "a", "message": null}'),
    ("no message", b'{"sender": "a"}'),
    ("no sender", b'{"message": "hi"}'),
    ("empty sender", b'{"sender": "", "message": "hi"}'),
    ("huge sender", json.dumps({"sender": "a" * 10_000, "message": "hi"}).encode()),
    ("path sender", b'{"sender": "../../etc/passwd", "message": "hi"}'),
    ("list metadata", b'{"sender": "a", "message": "hi", "metadata": [1]}'),
    ("string metadata", b'{"sender": "a", "message": "hi", "metadata": "ar"}'),
    ("invalid utf-8", b'{"sender": "a", "message": "\xff\xfe"}'),
    ("deep nesting", b'{"sender": "a", "message": "hi", "metadata": ' + b'{"a":' * 5000 + b'1' + b'}' * 5001),
]


@dataclass
class Webhook:
    """One way in: how to send it a message, and how to send it raw bytes."""

    name: str
    send_text: Callable[[object, str, str], int]  # (servers, sender, text) -> HTTP status
    send_raw: Callable[[object, bytes], int] | None = None  # (servers, body) -> HTTP status


def rest_text(servers, sender: str, text: str) -> int:
    return requests.post(f"{servers.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                         timeout=120).status_code


def rest_raw(servers, body: bytes) -> int:
    return requests.post(f"{servers.rasa}/webhooks/rest/webhook", data=body, timeout=60,
                         headers={"Content-Type": "application/json"}).status_code


def socketio_text(servers, sender: str, text: str) -> int:
    """Sends over socket.io; 200 if a bot message came back, 504 if none did."""
    client = socketio.Client(reconnection=False)
    confirmed, answered = threading.Event(), threading.Event()
    client.on("session_confirm", lambda _data: confirmed.set())
    client.on("bot_uttered", lambda _data: answered.set())
    client.connect(servers.rasa, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": sender})
        assert confirmed.wait(30)
        client.emit("user_uttered", {"message": text, "session_id": sender})
        return 200 if answered.wait(30) else 504
    finally:
        client.disconnect()


WEBHOOKS = [Webhook("rest", rest_text, rest_raw), Webhook("socketio", socketio_text)]


def new_sender() -> str:
    return "bad-input-" + uuid.uuid4().hex


@pytest.mark.parametrize("webhook", WEBHOOKS, ids=lambda w: w.name)
@pytest.mark.parametrize("text", NAUGHTY, ids=range(len(NAUGHTY)))
def test_naughty_strings_get_an_answer(servers, webhook, text):
    assert webhook.send_text(servers, new_sender(), text) == 200


@pytest.mark.parametrize("name, body", MALFORMED_BODIES, ids=[name for name, _ in MALFORMED_BODIES])
@pytest.mark.parametrize("webhook", [w for w in WEBHOOKS if w.send_raw], ids=lambda w: w.name)
def test_malformed_bodies_get_a_clear_400(servers, webhook, name, body):
    assert webhook.send_raw(servers, body) == 400, name


def test_rest_errors_are_json_and_say_what_is_wrong(servers):
    response = requests.post(f"{servers.rasa}/webhooks/rest/webhook", data=b'{"sender": "a"}', timeout=30)
    assert response.status_code == 400 and "message" in response.json()["error"]


def test_a_huge_body_is_refused_and_a_long_message_is_cut_with_a_note(servers):
    huge = json.dumps({"sender": new_sender(), "message": "a" * 2_000_000})
    assert requests.post(f"{servers.rasa}/webhooks/rest/webhook", data=huge, timeout=60).status_code == 413
    sender = new_sender()
    replies = requests.post(f"{servers.rasa}/webhooks/rest/webhook", json={
        "sender": sender, "message": SAMPLES["tr"] + " lütfen bana yardım edin" * 150}, timeout=120).json()
    from bot.privacy.notice import note

    assert replies[-1]["text"] == note("message_cut", "tr", max_characters=max_message_characters())
    stored = requests.get(f"{servers.rasa}/conversations/{sender}/tracker", params={"token": servers.token},
                          timeout=30).json()
    assert len(stored["latest_message"]["text"]) == max_message_characters()


def test_a_client_cannot_choose_the_input_channel(servers):
    sender = new_sender()
    requests.post(f"{servers.rasa}/webhooks/rest/webhook", timeout=60,
                  json={"sender": sender, "message": "hallo", "input_channel": "twilio"})
    tracker = requests.get(f"{servers.rasa}/conversations/{sender}/tracker", params={"token": servers.token},
                           timeout=30).json()
    assert tracker["latest_input_channel"] == "rest"


def test_the_conversation_goes_on_after_bad_input(servers):
    sender = new_sender()
    for body in (b"{", b'{"sender": "%s", "message": 5}' % sender.encode()):
        rest_raw(servers, body)
    assert rest_text(servers, sender, "\u202e\x00") == 200
    assert rest_text(servers, sender, SAMPLES["ar"]) == 200


def test_malformed_socketio_events_get_an_error_event_and_the_socket_keeps_working(servers):
    client = socketio.Client(reconnection=False)
    errors: list[dict] = []
    answered, confirmed = threading.Event(), threading.Event()
    client.on("error", lambda data: errors.append(data))
    client.on("bot_uttered", lambda _data: answered.set())
    client.on("session_confirm", lambda _data: confirmed.set())
    client.connect(servers.rasa, transports=["polling"], socketio_path="socket.io")
    try:
        for bad in ("just a string", ["a list"], {"session_id": 5}, {"session_id": "x" * 500}):
            client.emit("session_request", bad)
        session_id = new_sender()
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.wait(30)
        for bad in (None, "text", 5, {"message": 5, "session_id": session_id}, {"message": "hi"},
                    {"message": "hi", "session_id": session_id, "customData": "{not json"},
                    {"message": "hi", "session_id": session_id, "customData": [1]}):
            client.emit("user_uttered", bad)
        client.emit("user_uttered", {"message": SAMPLES["fa"], "session_id": session_id})
        assert answered.wait(90)
    finally:
        client.disconnect()
    assert len(errors) >= 10 and all("error" in error for error in errors)


@pytest.mark.parametrize("path", [
    "/webhooks/cards/gp/xx.png", "/webhooks/cards/%00/en.png", "/webhooks/cards/gp/en.png%00.html",
    "/webhooks/cards/" + "a" * 5000 + "/en.png", "/webhooks/cards/gp/..%2f..%2fetc%2fpasswd",
    "/webhooks/cards/gp/<script>.html", "/webhooks/cards/gp/en.svg",
])
def test_the_cards_endpoint_answers_odd_paths_with_a_4xx(servers, path):
    status = requests.get(servers.rasa + path, timeout=30).status_code
    assert 400 <= status < 500, (path, status)


def test_socketio_refuses_browsers_from_other_origins(servers):
    def handshake(origin: str) -> int:
        return requests.get(f"{servers.rasa}/socket.io/", params={"EIO": "4", "transport": "polling"},
                            headers={"Origin": origin}, timeout=30).status_code

    assert handshake("https://evil.example") == 400
    assert handshake(servers.web) == 200


def test_the_http_api_gives_no_cors_headers_to_other_origins(servers):
    evil = requests.options(f"{servers.rasa}/conversations/x/tracker", timeout=30, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "https://evil.example" not in evil.headers.get("Access-Control-Allow-Origin", "")
    assert requests.get(f"{servers.rasa}/conversations/x/tracker", timeout=30).status_code == 401


def test_the_action_server_refuses_calls_without_its_token(servers):
    call = {"next_action": "action_forget_me", "sender_id": "x", "tracker": {}, "domain": {}}
    assert requests.post(f"{servers.actions}/webhook", json=call, timeout=30).status_code == 401
    assert requests.post(f"{servers.actions}/webhook", json=call, timeout=30,
                         headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert requests.get(f"{servers.actions}/actions", timeout=30).status_code == 401
    assert requests.get(f"{servers.actions}/health", timeout=30).status_code == 200
    assert "Access-Control-Allow-Origin" not in requests.get(
        f"{servers.actions}/health", headers={"Origin": "https://evil.example"}, timeout=30).headers
