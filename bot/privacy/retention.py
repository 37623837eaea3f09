"""Retention: stored conversation events older than `RETENTION_DAYS` (default 30) are deleted.

Two ways, doing the same thing:
- `python -m bot retention [--days N]`: once, e.g. from cron; reads the database from endpoints.yml
  (or `DATABASE_URL`);
- a background job in the Rasa server (started by the tracker store), every
  `RETENTION_INTERVAL_MINUTES` (default 60; 0 turns it off).
A conversation idle for N days therefore disappears entirely; in a longer one, what was said more
than N days ago goes.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 30
DEFAULT_INTERVAL_MINUTES = 60
_started: set[str] = set()


def retention_days() -> int:
    """`RETENTION_DAYS`, or 30."""
    return int(os.environ.get("RETENTION_DAYS") or DEFAULT_DAYS)


def delete_old_events(engine: sa.engine.Engine, days: int | None = None, now: float | None = None) -> int:
    """Deletes events older than `days` from the `events` table; how many."""
    days = retention_days() if days is None else days
    cutoff = (now or time.time()) - days * 86400
    events = sa.table("events", sa.column("timestamp"))
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table("events"):
            return 0
        result = connection.execute(sa.delete(events).where(events.c.timestamp < cutoff))
    deleted = int(result.rowcount or 0)
    deleted_cases = _delete_old_cases(days)
    logger.info("Retention: deleted %d events (and %d cases) older than %d days", deleted, deleted_cases, days)
    return deleted


def _delete_old_cases(days: int) -> int:
    try:
        from bot.handoff.cases import delete_cases_older_than  # type: ignore[import-not-found]
    except ImportError:
        return 0
    return int(delete_cases_older_than(days) or 0)


def start_retention_job(engine: sa.engine.Engine) -> None:
    """Runs `delete_old_events` now and then every interval, in a daemon thread (once per database)."""
    minutes = float(os.environ.get("RETENTION_INTERVAL_MINUTES") or DEFAULT_INTERVAL_MINUTES)
    key = str(engine.url)
    if minutes <= 0 or key in _started:
        return
    _started.add(key)

    def loop() -> None:
        while True:
            try:
                delete_old_events(engine)
            except Exception as error:  # noqa: BLE001 - the job must survive a database outage
                logger.error("Retention job failed (will retry): %s: %s", type(error).__name__, error)
            time.sleep(minutes * 60)

    threading.Thread(target=loop, name="retention", daemon=True).start()


def engine_from_endpoints(endpoints: Path) -> sa.engine.Engine:
    """An engine for the tracker store's database as endpoints.yml (or `DATABASE_URL`) configures it."""
    import yaml

    from bot.privacy.tracker_store import _sqlite_path, database_url

    config: dict[str, Any] = (yaml.safe_load(endpoints.read_text("utf-8")) or {}).get("tracker_store") or {}
    url = database_url() or config.get("url")
    if url and "://" in url:
        return sa.create_engine(url)
    from rasa.core.tracker_store import SQLTrackerStore

    dialect = config.get("dialect", "sqlite")
    db = _sqlite_path(config.get("db")) if dialect == "sqlite" else config.get("db")
    return sa.create_engine(SQLTrackerStore.get_db_url(
        dialect, url, config.get("port"), db, config.get("username"), config.get("password")))


def main(days: int | None, endpoints: Path) -> int:
    """`python -m bot retention`: deletes old events once and says how many."""
    deleted = delete_old_events(engine_from_endpoints(endpoints), days)
    print(f"Deleted {deleted} stored events older than {retention_days() if days is None else days} days.")
    return 0
