"""The short privacy notice sent with the first answer of a conversation, and other short notes.

The notice goes after the first answer's messages (never before: a danger sign's 112 answer must
come first) and links to the full notice on the web front (`/privacy?lang=xx`, bot/web/privacy.py).
"""
from __future__ import annotations

import os
from typing import Any

from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.store import MESSAGE_SEPARATOR, _format, content
from bot.languages import FALLBACK


def web_public_url() -> str:
    """Where people's browsers reach the web front (`WEB_PUBLIC_URL`), for the privacy page link."""
    return os.environ.get("WEB_PUBLIC_URL", "http://localhost:8080").rstrip("/")


def privacy_url(language: str) -> str:
    """The full privacy notice in `language`."""
    return f"{web_public_url()}/privacy?lang={language}"


def privacy_texts(language: str) -> dict[str, Any]:
    """The `privacy:` section of content/<lang>/privacy.yml (English where missing)."""
    import yaml

    from bot.paths import content_dir

    def load(code: str) -> dict[str, Any]:
        path = content_dir() / code / "privacy.yml"
        return (yaml.safe_load(path.read_text("utf-8")) or {}).get("privacy") or {} if path.exists() else {}

    return {**load(FALLBACK), **load(language)}


def note(name: str, language: str, **values: Any) -> str:
    """A short text from the `notes:` of content/<lang>/*.yml in `language` (English if missing)."""
    source = content()
    wanted = source.languages.get(language) or source.languages[FALLBACK]
    text = wanted.notes.get(name) or source.languages[FALLBACK].notes.get(name, "")
    from bot.privacy.retention import retention_days

    filled = {
        **source.fact_values(),
        "retention_days": retention_days(),
        "privacy_url": privacy_url(wanted.language),
        "forget_phrase": privacy_texts(wanted.language).get("forget_phrase", ""),
        **values,
    }
    return _format(text, filled)


def is_first_answer(tracker: DialogueStateTracker) -> bool:
    """True while the conversation (since its start or a restart) has no bot message yet."""
    return not any(isinstance(event, BotUttered) for event in tracker.applied_events())


def with_privacy_notice(response: dict[str, Any], tracker: DialogueStateTracker, language: str) -> dict[str, Any]:
    """`response` with the privacy notice as its last message if it is the conversation's first answer."""
    if not is_first_answer(tracker):
        return response
    text = response.get("text") or ""
    notice = note("privacy_notice", language)
    return {**response, "text": text + MESSAGE_SEPARATOR + notice if text else notice}
