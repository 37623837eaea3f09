"""The conversation store: Rasa's SQL tracker store, but nothing identifying is ever written.

Configured in endpoints.yml (`tracker_store: type: bot.privacy.tracker_store.RedactingSQLTrackerStore`).
- Every event is redacted (`bot.privacy.redaction`) before it is written: user text, entity values,
  slot values, metadata. Rasa keeps the raw text in memory for the turn it arrives in only.
- "Forget me": when a turn ran `action_forget_me`, every stored row of that conversation is deleted
  (and its handoff cases, if that module is installed) and nothing of the turn is written, so the
  next message starts a new, empty conversation.
- Retention: a background job deletes events older than `RETENTION_DAYS` (`bot.privacy.retention`).
- Long conversations: the tracker Rasa works with holds the last messages and the state before
  them (`bot.conversation_window`); only what the turn added is written.
- `DATABASE_URL` (e.g. `postgresql://user:password@host:5432/zorgrecht`) overrides the SQLite file.
- A database failure is logged in one clear line; `database_failed_since()` lets the channels tell the person.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversation_window import recent_tracker
from bot.privacy.redaction import redact_value

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"
# Set on every tracker read from or written to the database: how many of its events are stored.
STORED_UNTIL = "stored_until"
DATABASE_URL_ENV = "DATABASE_URL"
# When the database last failed (time.time()), for the channels' polite message.
_last_failure: float | None = None


def database_failed_since(moment: float) -> bool:
    """Whether reading or saving a conversation failed at or after `moment` (a time.time())."""
    return _last_failure is not None and _last_failure >= moment


def _note_failure(error: Exception, doing: str, url: str) -> None:
    global _last_failure
    _last_failure = time.time()
    logger.error("Conversation database unreachable while %s (%s): %s: %s", doing, url,
                 type(error).__name__, str(error).splitlines()[0] if str(error) else "")


def database_url() -> str | None:
    """`DATABASE_URL` if set, in the form SQLAlchemy 1.4 accepts (`postgresql://`, not `postgres://`)."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url or None


def forget_cases(sender_id: str) -> int:
    """Deletes the sender's handoff cases when the handoff module is installed; how many."""
    try:
        from bot.handoff.cases import delete_cases_for_sender  # type: ignore[import-not-found]
    except ImportError:
        return 0
    return int(delete_cases_for_sender(sender_id) or 0)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """An SQL tracker store (SQLite or PostgreSQL) that redacts, forgets on request and expires."""

    def __init__(self, domain: Any = None, host: str | None = None, **kwargs: Any) -> None:
        host = database_url() or host
        if not host and kwargs.get("dialect", "sqlite") == "sqlite":
            kwargs["db"] = _sqlite_path(kwargs.get("db"))
        super().__init__(domain=domain, host=host, **kwargs)
        # Rasa's engine keeps dead connections after a database restart; ping them before use.
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.safe_url = self.engine.url.render_as_string(hide_password=True)
        from bot import action_calls
        from bot.privacy.logs import redact_logs
        from bot.privacy.retention import start_retention_job

        redact_logs()
        action_calls.install()
        start_retention_job(self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes the turn's new events, redacted; or deletes the conversation after "forget me"."""
        try:
            if _ran_forget(tracker):
                deleted = self.delete_conversation(tracker.sender_id)
                logger.info("Forgot a conversation: %d stored events deleted, %d cases", deleted,
                            forget_cases(tracker.sender_id))
            else:
                await super().save(tracker)
                setattr(tracker, STORED_UNTIL, len(tracker.events))
        except Exception as error:
            _note_failure(error, "saving a conversation", self.safe_url)
            raise

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        try:
            if fetch_events_from_all_sessions:
                return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
            return self._retrieve_recent(sender_id)
        except Exception as error:
            _note_failure(error, "reading a conversation", self.safe_url)
            raise

    def _retrieve_recent(self, sender_id: str) -> DialogueStateTracker | None:
        """The current session's tracker, cut to its last messages (`bot.conversation_window`)."""
        with self.session_scope() as session:
            # Only the JSON column: building an ORM object per stored event cost more than parsing it.
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not (self.domain and events):
            return None
        tracker = recent_tracker(sender_id, events, self.domain.slots)
        setattr(tracker, STORED_UNTIL, len(tracker.events))
        return tracker

    def _unsaved_events(self, tracker: DialogueStateTracker) -> list[dict[str, Any]]:
        """The tracker's events that are not in the database yet, redacted. A tracker this store
        read or wrote knows how many are stored; for another one (a new conversation, one replaced
        through the HTTP API) the stored rows are counted, as Rasa does."""
        stored = getattr(tracker, STORED_UNTIL, None)
        if stored is None:
            with self.session_scope() as session:
                stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        end = len(tracker.events)
        cached = getattr(tracker, "_redacted_unsaved", None)
        if cached is not None and cached[:2] == (stored, end):
            return cached[2]
        redacted = [redact_value(event.as_dict()) for event in itertools.islice(tracker.events, stored, end)]
        tracker._redacted_unsaved = (stored, end, redacted)  # the broker and the database share one redaction
        return redacted

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        for event in self._unsaved_events(tracker):
            yield Event.from_parameters(event)

    def delete_conversation(self, sender_id: str) -> int:
        """Deletes every stored event of `sender_id`, in every session; how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return int(deleted)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Sends the turn's new events to the event broker, redacted like the database. Rasa's version
        reads the whole conversation back to find them, a second full read per message that grows
        with its length."""
        if self.event_broker is None:
            return
        new_events = [Event.from_parameters(event) for event in self._unsaved_events(tracker)]
        await super()._stream_new_events(self.event_broker, new_events, tracker.sender_id)


def _ran_forget(tracker: DialogueStateTracker) -> bool:
    """Whether the turn being saved ran `action_forget_me` (its events are all still unsaved)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == FORGET_ACTION:
                return True
            if event.action_name == "action_listen" and event is not tracker.events[-1]:
                return False
    return False


def _sqlite_path(db: str | None) -> str:
    """A relative SQLite path is taken relative to the var/ folder's parent (the repository)."""
    from bot.paths import ROOT, var_dir

    if not db:
        return str(var_dir() / "conversations.db")
    if os.path.isabs(db):
        return db
    if db.startswith("var/") and os.environ.get("ASSISTANT_VAR_DIR"):
        return str(var_dir() / db[len("var/"):])
    return str(ROOT / db)
