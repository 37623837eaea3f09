"""The window of a long conversation that the policies and actions see (bot.conversation_window)."""
from pathlib import Path

import yaml

from bot.conversation_window import KEPT_USER_MESSAGES, window_start
from bot.paths import ROOT


def events_of(turns: int) -> list[dict]:
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
              {"event": "action", "name": "action_listen"}]
    for number in range(turns):
        events += [{"event": "user", "text": str(number),
                    "parse_data": {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}},
                   {"event": "action", "name": "utter_x"},
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


def test_the_state_read_from_stored_events_is_the_state_rasa_replays():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.conversation_window import _state_from_tracker, state_at_end

    domain = Domain.load(str(ROOT / "domain"))
    events = events_of(3) + [
        {"event": "slot", "name": "language", "value": "fa"},
        {"event": "slot", "name": "city", "value": "Utrecht"},
        {"event": "slot", "name": "city", "value": None},
        {"event": "slot", "name": "not_a_slot", "value": "x"},
        {"event": "active_loop", "name": "handoff_form"},
        {"event": "pause"}, {"event": "resume"}, {"event": "pause"},
    ] + events_of(2)[2:] + [{"event": "active_loop", "name": None}]
    replayed = DialogueStateTracker.from_dict("someone", events, domain.slots)
    last_bot = [event for event in events if event["event"] == "bot"][-1]
    assert state_at_end(events, {slot.name for slot in domain.slots}) == _state_from_tracker(replayed, last_bot)


def test_events_that_rewrite_history_are_left_to_rasas_replay():
    from bot.conversation_window import state_at_end

    assert state_at_end(events_of(2) + [{"event": "rewind"}], {"language"}) is None
