"""What the dialogue policies and the action server see of a long conversation: its last messages,
plus the state the conversation was in just before them.

Rasa rebuilds the dialogue states of the whole conversation several times per message (once per
policy and predicted action) and sends every event to the action server, so a message at turn 100
cost about eight times one at turn 1 (BENCHMARKS.md). The policies look back `max_history` turns
only (4 in config.yml), so the tracker they get can start a few messages back, as long as the state
at that point is carried over: the slots that are set, an active form, a paused conversation (a
mediator took over), and the assistant's last message (the privacy notice goes with the first one).

The tracker store (bot.privacy.tracker_store) builds that tracker and writes only what the turn
added; the database keeps the whole conversation, and the HTTP API's tracker endpoint returns all of it.
"""
from __future__ import annotations

from typing import Any

from rasa.shared.core.events import ActiveLoop, BotUttered, ConversationPaused, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

# Well above the policies' max_history (4), so rules and memorised stories see what they always saw;
# a test checks this against config.yml.
KEPT_USER_MESSAGES = 8


def window_start(events: list[dict[str, Any]], keep: int = KEPT_USER_MESSAGES) -> int:
    """Index of the first event to keep: the `action_listen` before the `keep`-th last user message.
    0 (keep everything) when the conversation has `keep` user messages or fewer."""
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if len(users) <= keep:
        return 0
    start = users[-keep]
    before = events[start - 1]
    if before.get("event") == "action" and before.get("name") == "action_listen":
        start -= 1
    return start


def state_events(tracker: DialogueStateTracker, last_bot_message: dict[str, Any] | None,
                 timestamp: float | None) -> list[dict[str, Any]]:
    """Events that put a new tracker in the state `tracker` ends in."""
    events: list[Event] = [
        SlotSet(slot.name, slot.value, timestamp=timestamp)
        for slot in tracker.slots.values()
        if slot.value != slot.initial_value
    ]
    if tracker.active_loop_name:
        events.append(ActiveLoop(tracker.active_loop_name, timestamp=timestamp))
    if tracker.is_paused():
        events.append(ConversationPaused(timestamp=timestamp))
    if last_bot_message is not None:
        events.append(BotUttered(last_bot_message.get("text"), last_bot_message.get("data") or {},
                                 timestamp=timestamp))
    return [event.as_dict() for event in events]


def recent_tracker(sender_id: str, events: list[dict[str, Any]], slots: Any,
                   keep: int = KEPT_USER_MESSAGES) -> tuple[DialogueStateTracker, int]:
    """The tracker of the conversation's last `keep` user messages, and its offset: stored event
    number `n` (counted from the session's start) is the tracker's event number `n - offset`."""
    start = window_start(events, keep)
    if start == 0:
        return DialogueStateTracker.from_dict(sender_id, events, slots), 0
    earlier = events[:start]
    last_bot = next((event for event in reversed(earlier) if event.get("event") == "bot"), None)
    before = DialogueStateTracker.from_dict(sender_id, earlier, slots)
    prefix = state_events(before, last_bot, events[start].get("timestamp"))
    return DialogueStateTracker.from_dict(sender_id, prefix + events[start:], slots), start - len(prefix)
