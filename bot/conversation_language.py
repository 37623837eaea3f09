"""Which language the assistant answers in: one rule, used by the policy, the NLG and the actions.

The conversation's language is sticky. It changes only on
1. an explicit request or button (intent `change_language` with a `language` entity),
2. a language the channel sends in the message metadata, when it differs from the last one sent
   (the web widget's language picker sends it with every message),
3. a confident detection of a message of three words or more that was understood (a message the
   assistant cannot classify is often gibberish, and gibberish looks like some language), unless
   the conversation's language itself was a close runner-up: people mix languages, and a message
   that reads almost as well in the current language is taken to be in it.
"ok", "hi", a name or an emoji never change it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.languages import DEFAULT, SUPPORTED

MIN_WORDS_TO_SWITCH = 3
MIN_CONFIDENCE_TO_SWITCH = 0.6
# The current language keeps the conversation when it has at least this share of the detection's odds.
CURRENT_LANGUAGE_KEEPS_AT = 0.25
NOT_UNDERSTOOD = "nlu_fallback"


@dataclass(frozen=True)
class UserTurn:
    """What one user message says about language."""

    intent: str | None = None
    requested: str | None = None
    metadata_language: str | None = None
    detected: str | None = None
    confidence: float = 0.0
    words: int = 0
    scores: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_parse_data(
        cls, parse_data: Mapping[str, Any], metadata: Mapping[str, Any] | None = None
    ) -> UserTurn:
        """Reads a turn from Rasa's parse data (with the `language` keys our NLU adds)."""
        detection = parse_data.get("language_detection") or {}
        requested = next(
            (
                entity.get("value")
                for entity in parse_data.get("entities") or []
                if entity.get("entity") == "language" and entity.get("value") in SUPPORTED
            ),
            None,
        )
        return cls(
            intent=(parse_data.get("intent") or {}).get("name"),
            requested=requested,
            metadata_language=metadata_language(metadata),
            detected=parse_data.get("language"),
            confidence=float(detection.get("confidence") or 0.0),
            words=int(detection.get("words") or 0),
            scores=_scores(detection.get("scores")),
        )


def metadata_language(metadata: Mapping[str, Any] | None) -> str | None:
    """The language a channel put in a message's metadata, if it is one we speak."""
    if not isinstance(metadata, Mapping):
        return None
    value = metadata.get("language")
    if isinstance(value, str) and value.strip().lower()[:2] in SUPPORTED:
        return value.strip().lower()[:2]
    return None


def language_after(
    turn: UserTurn, current: str | None, previous_metadata_language: str | None = None
) -> str:
    """The conversation's language once `turn` has been read."""
    if turn.intent == "change_language" and turn.requested:
        return turn.requested
    if turn.metadata_language and turn.metadata_language != previous_metadata_language:
        return turn.metadata_language
    if (
        turn.detected in SUPPORTED
        and turn.words >= MIN_WORDS_TO_SWITCH
        and turn.confidence >= MIN_CONFIDENCE_TO_SWITCH
        and turn.intent != NOT_UNDERSTOOD
        and turn.scores.get(current or "", 0.0) < CURRENT_LANGUAGE_KEEPS_AT
    ):
        return turn.detected
    if current in SUPPORTED:
        return current
    # First message of a conversation: any detection beats a default.
    return turn.metadata_language or turn.detected or DEFAULT


def _scores(value: Any) -> dict[str, float]:
    """The detection's per-language shares, ignoring anything that is not a number."""
    if not isinstance(value, Mapping):
        return {}
    return {
        code: float(share)
        for code, share in value.items()
        if code in SUPPORTED and isinstance(share, (int, float)) and not isinstance(share, bool)
    }


def previous_metadata_language(user_events: Iterable[Any]) -> str | None:
    """The metadata language of the user message before the latest one.

    `user_events` are the conversation's user messages, oldest first, as Rasa `UserUttered`
    events or as the dicts the action server receives.
    """
    metadata = [_metadata_of(event) for event in user_events]
    return metadata_language(metadata[-2]) if len(metadata) >= 2 else None


def _metadata_of(event: Any) -> dict[str, Any] | None:
    if isinstance(event, Mapping):
        return event.get("metadata")
    return getattr(event, "metadata", None)
