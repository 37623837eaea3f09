"""Fills a tracker store's `events` table directly with many stored conversations, fast.

Copies the rows of real conversations (made over REST just before) under new sender ids, in bulk
inserts: 100,000 conversations are a few hundred thousand rows, which HTTP calls would take hours to
create. Works on SQLite and PostgreSQL (Rasa's SQL schema).
"""
from __future__ import annotations

import time

import sqlalchemy as sa

BATCH_ROWS = 20_000
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")


def count_conversations(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        return int(connection.execute(sa.text("SELECT COUNT(DISTINCT sender_id) FROM events")).scalar() or 0)


def seed_conversations(url: str, template_prefix: str, count: int, prefix: str = "seed") -> dict:
    """Inserts `count` copies of the conversations whose sender id starts with `template_prefix`.

    The copies get sender ids `<prefix>-<n>` and timestamps spread over the last day (so that a
    retention job keeps them). Returns how many rows were written and how long it took.
    """
    engine = sa.create_engine(url)
    start = time.perf_counter()
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(f"SELECT {', '.join(COLUMNS)} FROM events WHERE sender_id LIKE :prefix ORDER BY id"),
            {"prefix": f"{template_prefix}%"}).fetchall()
    templates: dict[str, list] = {}
    for row in rows:
        templates.setdefault(row[0], []).append(row)
    if not templates:
        raise ValueError(f"no stored conversation starts with {template_prefix!r} to copy")
    conversations = list(templates.values())
    table = sa.table("events", *(sa.column(name) for name in COLUMNS))
    now, written, batch = time.time(), 0, []
    with engine.begin() as connection:
        for number in range(count):
            template = conversations[number % len(conversations)]
            shift = now - 86_400 * (number / max(count, 1)) - float(template[0][2] or now)
            sender = f"{prefix}-{number}"
            for _, type_name, timestamp, intent, action, data in template:
                batch.append({"sender_id": sender, "type_name": type_name,
                              "timestamp": float(timestamp or now) + shift, "intent_name": intent,
                              "action_name": action, "data": data})
            if len(batch) >= BATCH_ROWS:
                connection.execute(table.insert(), batch)
                written, batch = written + len(batch), []
        if batch:
            connection.execute(table.insert(), batch)
            written += len(batch)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE events"))
    return {"conversations": count, "rows": written, "seconds": round(time.perf_counter() - start, 1)}
