"""The window of a long conversation that the policies and actions see (bot.conversation_window)."""
from pathlib import Path

import yaml

from bot.conversation_window import KEPT_USER_MESSAGES, window_start
from bot.paths import ROOT


def events_of(turns: int) -> list[dict]:
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
              {"event": "action", "name": "action_listen"}]
    for number in range(turns):
        events += [{"event": "user", "text": str(number)}, {"event": "action", "name": "utter_x"},
                   {"event": "bot", "text": "ok"}, {"event": "action", "name": "action_listen"}]
    return events


def test_short_conversations_are_kept_whole():
    assert window_start(events_of(0)) == 0
    assert window_start(events_of(KEPT_USER_MESSAGES)) == 0


def test_a_long_conversation_starts_at_the_listen_before_its_last_messages():
    events = events_of(30)
    start = window_start(events)
    assert events[start] == {"event": "action", "name": "action_listen"}
    assert sum(1 for event in events[start:] if event["event"] == "user") == KEPT_USER_MESSAGES


def test_the_window_is_longer_than_what_any_policy_looks_back_at():
    config = yaml.safe_load(Path(ROOT / "config.yml").read_text("utf-8"))
    histories = [policy.get("max_history") or 0 for policy in config["policies"]]
    assert KEPT_USER_MESSAGES >= 2 * max(histories)
