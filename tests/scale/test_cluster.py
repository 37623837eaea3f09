"""Two Rasa instances behind nginx, started here on free ports (PostgreSQL, Redis, nginx from Debian).

One stack for the module; the test that stops an instance runs last. Takes 2-5 minutes, most of it
the two Rasa instances loading the model.
"""
from __future__ import annotations

import shutil
import threading
import time
import uuid

import pytest
import requests

from bot.bench.load import LoadResult, load
from bot.bench.speed import texts_by_language
from bot.scale.settings import on_free_ports, temporary_base
from bot.scale.stack import Stack

pytestmark = [pytest.mark.server, pytest.mark.timeout(900)]

NEEDED = ("nginx", "redis-server", "psql")


@pytest.fixture(scope="module")
def stack():
    missing = [program for program in NEEDED if shutil.which(program) is None]
    if missing:
        pytest.fail(f"not installed: {missing} (scripts/install-system-packages)")
    base = temporary_base("zorgrecht-cluster-test-")
    running = Stack(on_free_ports(base))
    try:
        running.up()
        yield running
    finally:
        running.down()
        shutil.rmtree(base, ignore_errors=True)


def say(url: str, sender: str, text: str) -> list[dict]:
    response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def tracker(stack: Stack, instance: int, sender: str) -> dict:
    response = requests.get(f"{stack.settings.rasa_url(instance)}/conversations/{sender}/tracker",
                            params={"token": stack.api_token}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def user_texts(events: list[dict]) -> list[str]:
    return [event.get("text") for event in events if event["event"] == "user"]


def stored_as(text: str) -> str:
    """What the tracker store keeps of a message (the privacy wrapper redacts identifiers)."""
    try:
        from bot.privacy.redaction import redact
    except ImportError:
        return text
    return redact(text)


def assert_nothing_lost_or_duplicated(stack: Stack, result: LoadResult, instances: tuple[int, ...] = (0, 1)) -> None:
    """Every conversation's stored messages are exactly the ones sent, in order (read from each
    instance in turn)."""
    sent: dict[str, list[str]] = {}
    for sample in sorted(result.samples, key=lambda s: (s.conversation, s.turn)):
        sent.setdefault(sample.conversation, []).append(sample.text)
    for number, (sender, texts) in enumerate(sorted(sent.items())):
        stored = user_texts(tracker(stack, instances[number % len(instances)], sender)["events"])
        expected = [stored_as(text) for text in texts]
        assert stored == expected, f"{sender}: sent {expected}, stored {stored}"


def test_every_part_of_the_stack_runs(stack):
    assert all(stack.status().values()), stack.status()
    assert stack.psql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'") == "1"
    for index in (0, 1):
        status = requests.get(f"{stack.settings.rasa_url(index)}/status", params={"token": stack.api_token},
                              timeout=30)
        assert status.status_code == 200 and status.json()["model_file"]


def test_a_conversation_continues_on_the_other_instance(stack):
    sender = f"cross-{uuid.uuid4().hex[:8]}"
    first = say(stack.settings.rasa_url(0), sender, "مرحبا، هل يحق لي الذهاب إلى الطبيب بدون أوراق؟")
    assert first
    second = say(stack.settings.rasa_url(1), sender, "ok")  # a short message keeps the conversation's language
    assert second and any("\u0600" <= ch <= "\u06ff" for reply in second for ch in reply.get("text", ""))
    say(stack.settings.url, sender, "شكرا")
    for index in (0, 1):
        state = tracker(stack, index, sender)
        assert len(user_texts(state["events"])) == 3
        assert state["slots"].get("language") == "ar"


def test_load_through_nginx_loses_and_duplicates_nothing(stack):
    result = load(stack.settings.url, texts_by_language(), concurrency=10, conversations=20, turns=5,
                  prefix="lb", seed=11)
    assert result.errors == 0, result.summary()
    assert len(result.samples) == 100
    print(f"two instances through nginx: {result.summary()}")
    assert_nothing_lost_or_duplicated(stack, result)
    # Both instances took a share (round robin), seen in nginx's access log.
    log = (stack.settings.log_dir / "nginx-access.log").read_text()
    assert log.count("POST /webhooks/rest/webhook") >= 100


def test_a_message_pushed_through_either_instance_reaches_the_socket(stack):
    import socketio

    session = uuid.uuid4().hex
    received: list[dict] = []
    confirmed, greeted = threading.Event(), threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", lambda data: confirmed.set())

    @client.on("bot_uttered")
    def on_bot(data):
        received.append(data)
        greeted.set()

    client.connect(stack.settings.url, transports=["polling"], socketio_path="socket.io")
    try:
        client.emit("session_request", {"session_id": session})
        assert confirmed.wait(30)
        client.emit("user_uttered", {"message": "hallo", "session_id": session, "customData": {"language": "nl"}})
        assert greeted.wait(60)
        # One of the two instances holds the socket; the other must reach it through Redis.
        for index in (0, 1):
            response = requests.post(
                f"{stack.settings.rasa_url(index)}/conversations/{session}/tracker/events",
                params={"token": stack.api_token, "execute_side_effects": "true", "output_channel": "latest"},
                json={"event": "bot", "text": f"Bericht van de bemiddelaar via instantie {index + 1}"}, timeout=60)
            assert response.status_code == 200, response.text
        deadline = time.time() + 30
        wanted = {f"Bericht van de bemiddelaar via instantie {index + 1}" for index in (0, 1)}
        while time.time() < deadline and not wanted <= {m.get("text") for m in received}:
            time.sleep(0.2)
        assert wanted <= {m.get("text") for m in received}, received
    finally:
        client.disconnect()


def test_stopping_one_instance_during_load_loses_no_conversation(stack):
    """Runs last: it stops instance 2."""
    texts = texts_by_language()
    outcome: dict = {}

    def run() -> None:
        outcome["result"] = load(stack.settings.url, texts, concurrency=10, conversations=30, turns=6,
                                 prefix="stop", seed=12)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(2.5)
    stack.stop("rasa-2")
    worker.join(300)
    result: LoadResult = outcome["result"]
    print(f"instance 2 stopped during the run: {result.summary()}")
    assert len(result.samples) == 180
    assert result.errors == 0, result.summary()
    assert_nothing_lost_or_duplicated(stack, result, instances=(0,))
