"""The insights database: anonymous counters and refusal reports, nothing that points to a person.

SQLite in `var/insights.db` by default; `INSIGHTS_DATABASE_URL` (e.g.
`postgresql://user:password@host:5432/insights`) moves it elsewhere. It is kept apart from the
conversations (Rasa's tracker store, deleted after 30 days) and from the mediator cases, because
these figures outlive both and contain no sender id, no text typed by anyone and no exact date.

Tables
    question_counts  (month, language, kind, topic) -> count. `kind` is `question` (an understood
                     message; topic = intent), `fallback` (not understood) or `handoff` (asked for a
                     person or was handed to a mediator).
    refusal_reports  one row per consented report: month, place, problem, region. Nothing else.
"""
from __future__ import annotations

import datetime as dt
import os
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.paths import var_dir

PLACES = ("gp", "out_of_hours", "hospital", "pharmacy", "other")
PROBLEMS = ("no_registration", "asked_to_pay", "id_or_insurance", "not_contracted", "other")
REGIONS = ("Groningen", "Friesland", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
           "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg", "unknown")
KINDS = ("question", "fallback", "handoff")

metadata = sa.MetaData()

question_counts = sa.Table(
    "question_counts", metadata,
    sa.Column("month", sa.String(7), primary_key=True),  # "2026-11"
    sa.Column("language", sa.String(8), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("topic", sa.String(64), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False, default=0),
)

refusal_reports = sa.Table(
    "refusal_reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("month", sa.String(7), nullable=False, index=True),
    sa.Column("place", sa.String(16), nullable=False),
    sa.Column("problem", sa.String(32), nullable=False),
    sa.Column("region", sa.String(32), nullable=False),
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url() -> str:
    """`INSIGHTS_DATABASE_URL`, or SQLite in `var/insights.db`."""
    return os.environ.get("INSIGHTS_DATABASE_URL") or f"sqlite:///{var_dir() / 'insights.db'}"


def engine() -> Engine:
    """The engine for `database_url()`, tables created on first use."""
    url = database_url()
    with _lock:
        if url not in _engines:
            options = {"connect_args": {"timeout": 15}} if url.startswith("sqlite") else {"pool_pre_ping": True}
            created = sa.create_engine(url, **options)
            metadata.create_all(created)
            _engines[url] = created
        return _engines[url]


def current_month(today: dt.date | None = None) -> str:
    """The server's current month, "YYYY-MM": the only time a report or counter keeps."""
    return (today or dt.date.today()).strftime("%Y-%m")


def add_refusal(place: str, problem: str, region: str, month: str | None = None) -> None:
    """Stores one consented refusal report; unknown values are refused, never stored."""
    if place not in PLACES or problem not in PROBLEMS or region not in REGIONS:
        raise ValueError(f"not a known choice: {place!r}, {problem!r}, {region!r}")
    with engine().begin() as db:
        db.execute(refusal_reports.insert().values(
            month=month or current_month(), place=place, problem=problem, region=region))


def count(kind: str, topic: str, language: str, month: str | None = None) -> None:
    """Adds one to the counter (month, language, kind, topic)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    key = {"month": month or current_month(), "language": language[:8], "kind": kind, "topic": topic[:64]}
    table = question_counts
    with engine().begin() as db:
        updated = db.execute(
            table.update().where(*(table.c[name] == value for name, value in key.items()))
            .values(count=table.c.count + 1)
        ).rowcount
        if not updated:
            try:
                with db.begin_nested():
                    db.execute(table.insert().values(count=1, **key))
            except sa.exc.IntegrityError:  # another process inserted the same key just now
                db.execute(table.update().where(*(table.c[name] == value for name, value in key.items()))
                           .values(count=table.c.count + 1))


def refusal_rows() -> list[dict]:
    """Every refusal report (month, place, problem, region)."""
    columns = [refusal_reports.c.month, refusal_reports.c.place, refusal_reports.c.problem, refusal_reports.c.region]
    with engine().connect() as db:
        return [dict(row._mapping) for row in db.execute(sa.select(*columns))]


def counter_rows() -> list[dict]:
    """Every counter (month, language, kind, topic, count)."""
    with engine().connect() as db:
        return [dict(row._mapping) for row in db.execute(sa.select(question_counts))]
