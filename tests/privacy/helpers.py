"""Helpers for the privacy server tests: talk over REST, read the conversation database directly."""
from __future__ import annotations

import json
import uuid

import requests
import sqlalchemy as sa

from bot.privacy.notice import privacy_texts

# What people type to be forgotten: the phrase the privacy notice tells them to write.
FORGET_PHRASES = {language: privacy_texts(language)["forget_phrase"]
                  for language in ("nl", "en", "ar", "fr", "es", "pt", "tr", "fa")}
PERSONAL_DETAILS = "06-12345678 fatima.b@example.org 111222333 Dorpsstraat 45"
IDENTIFIERS = ["12345678", "fatima.b@example.org", "111222333", "Dorpsstraat 45"]


def new_sender() -> str:
    return "privacy-" + uuid.uuid4().hex


def say(servers, sender: str, text: str, metadata: dict | None = None, **kwargs) -> list[dict]:
    body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
    response = requests.post(f"{servers.rasa}/webhooks/rest/webhook", json=body, timeout=120, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def texts(replies: list[dict]) -> list[str]:
    return [part for reply in replies for part in (reply.get("text") or "").split("\n\n") if part]


def database_url(servers) -> str:
    """The conversation database the servers write to: PostgreSQL if configured, else their SQLite file."""
    return servers.env.get("DATABASE_URL") or f"sqlite:///{servers.state_dir / 'conversations.db'}"


def stored_events(servers, sender: str) -> list[dict]:
    """Every row of `sender` in the events table, read with SQL (not through Rasa)."""
    engine = sa.create_engine(database_url(servers))
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).fetchall()
    finally:
        engine.dispose()
    return [json.loads(row[0]) for row in rows]
