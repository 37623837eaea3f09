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


# Stored events that change none of the state carried over, or only the latest message and action.
_STATELESS = {"action", "user", "bot", "user_featurization", "entities", "loop_interrupted", "followup",
              "action_execution_rejected", "form_validation", "agent", "export"}


def state_at_end(events: list[dict[str, Any]], slot_names: set[str]) -> dict[str, Any] | None:
    """The slots set, the active loop, the pause and the last bot message after `events`, read from
    the stored events without rebuilding a tracker. None when they hold an event that rewrites
    history (rewind, undo, restart, a reminder): only Rasa's own replay gets those right."""
    slots: dict[str, Any] = {}
    loop, paused, last_bot = None, False, None
    for event in events:
        kind = event.get("event")
        if kind == "slot":
            if event.get("name") in slot_names:
                slots[event["name"]] = event.get("value")
        elif kind in ("active_loop", "form"):
            loop = event.get("name")
        elif kind in ("pause", "resume"):
            paused = kind == "pause"
        elif kind == "reset_slots":
            slots = {}
        elif kind == "session_started":
            slots, loop, paused = {}, None, False
        elif kind == "bot":
            last_bot = event
        elif kind not in _STATELESS:
            return None
    return {"slots": slots, "loop": loop, "paused": paused, "last_bot": last_bot}


def _state_from_tracker(tracker: DialogueStateTracker, last_bot: dict[str, Any] | None) -> dict[str, Any]:
    return {"slots": {slot.name: slot.value for slot in tracker.slots.values() if slot.has_been_set},
            "loop": tracker.active_loop_name, "paused": tracker.is_paused(), "last_bot": last_bot}


def state_events(state: dict[str, Any], timestamp: float | None) -> list[dict[str, Any]]:
    """Events that put a new tracker in `state` (see `state_at_end`)."""
    events: list[Event] = [SlotSet(name, value, timestamp=timestamp) for name, value in state["slots"].items()]
    if state["loop"]:
        events.append(ActiveLoop(state["loop"], timestamp=timestamp))
    if state["paused"]:
        events.append(ConversationPaused(timestamp=timestamp))
    last_bot = state["last_bot"]
    if last_bot is not None:
        events.append(BotUttered(last_bot.get("text"), last_bot.get("data") or {}, timestamp=timestamp))
    return [event.as_dict() for event in events]


def recent_tracker(sender_id: str, events: list[dict[str, Any]], slots: Any,
                   keep: int = KEPT_USER_MESSAGES) -> DialogueStateTracker:
    """The tracker of the conversation's last `keep` user messages, led by the state before them."""
    start = window_start(events, keep)
    if start == 0:
        return DialogueStateTracker.from_dict(sender_id, events, slots)
    earlier = events[:start]
    slots = list(slots)
    state = state_at_end(earlier, {slot.name for slot in slots})
    if state is None:
        last_bot = next((event for event in reversed(earlier) if event.get("event") == "bot"), None)
        state = _state_from_tracker(DialogueStateTracker.from_dict(sender_id, earlier, slots), last_bot)
    prefix = state_events(state, events[start].get("timestamp"))
    return DialogueStateTracker.from_dict(sender_id, prefix + events[start:], slots)
