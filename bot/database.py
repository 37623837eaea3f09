"""The assistant's own database (mediator cases, staff accounts, login sessions), through SQLAlchemy 1.4.

SQLite in `var/cases.db` by default; set `CASES_DATABASE_URL` (e.g.
`postgresql://user:password@host:5432/assistant`) to use PostgreSQL. The conversations themselves
stay in Rasa's tracker store; this database holds only what the handoff and the staff pages need.

Every table is declared here, so that `engine()` can create them all on first use.
"""
from __future__ import annotations

import os
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.paths import var_dir

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("organisation", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    # sha256 of the cookie value: a leaked database row does not log anyone in.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("accounts.username", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)

login_failures = sa.Table(
    "login_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("organisation", sa.String(64), nullable=False, index=True),
    # draft (phone kept, summary not yet approved) → waiting → taken → closed
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("city", sa.String(128), nullable=False, default=""),
    sa.Column("province", sa.String(64), nullable=False, default=""),
    sa.Column("topic", sa.String(32), nullable=False, default=""),
    sa.Column("contact_mode", sa.String(16), nullable=False, default=""),
    sa.Column("phone", sa.String(32), nullable=False, default=""),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("channel", sa.String(64), nullable=False, default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("submitted_at", sa.Float),
    sa.Column("taken_by", sa.String(64)),
    sa.Column("closed_at", sa.Float),
)

presence = sa.Table(
    "mediator_presence", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("organisation", sa.String(64), nullable=False, index=True),
    sa.Column("last_seen", sa.Float, nullable=False),
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url() -> str:
    """`CASES_DATABASE_URL`, or SQLite in `var/cases.db`."""
    url = os.environ.get("CASES_DATABASE_URL", "").strip()
    if url.startswith("postgres://"):  # the form many hosts give; SQLAlchemy 1.4 wants postgresql://
        url = "postgresql://" + url[len("postgres://"):]
    return url or f"sqlite:///{var_dir() / 'cases.db'}"


def engine() -> Engine:
    """The engine for `database_url()`, with every table created on first use."""
    url = database_url()
    with _lock:
        if url not in _engines:
            if url.startswith("sqlite"):
                created = sa.create_engine(url, connect_args={"timeout": 15})
                sa.event.listen(created, "connect", _sqlite_pragmas)
            else:
                created = sa.create_engine(url, pool_pre_ping=True)
            metadata.create_all(created)
            _engines[url] = created
        return _engines[url]


def _sqlite_pragmas(connection, _record) -> None:
    # The action server writes cases while the web front reads them: WAL lets both work at once.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
