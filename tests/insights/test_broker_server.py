"""The event broker configured in endpoints.yml counts a real conversation without its sender id."""
from __future__ import annotations

import time

import pytest

from bot.insights import store
from tests.test_server import new_sender, say

pytestmark = pytest.mark.server


def counters():
    return {(r["kind"], r["topic"], r["language"]): r["count"] for r in store.counter_rows()}


def test_a_real_conversation_is_counted_by_topic_and_language(servers):
    before = counters()
    sender = new_sender()
    say(servers, sender, "كم لازم ادفع للدكتور؟ ما عندي تأمين")
    say(servers, sender, "xqzv wprt blorf")
    key, fallback = ("question", "ask_costs", "ar"), ("fallback", "not understood", "ar")
    deadline = time.time() + 10  # the broker writes in a worker thread
    while time.time() < deadline and not (counters().get(key, 0) > before.get(key, 0)
                                           and counters().get(fallback, 0) > before.get(fallback, 0)):
        time.sleep(0.2)
    assert counters().get(key, 0) == before.get(key, 0) + 1
    assert counters().get(fallback, 0) == before.get(fallback, 0) + 1
    with open(store.engine().url.database, "rb") as handle:
        assert sender.encode() not in handle.read()
