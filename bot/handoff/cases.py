"""Cases: a person's approved request for a mediator, stored through SQLAlchemy (`bot.database`).

Life of a case: `draft` (only while a call-back number waits for the summary's approval) →
`waiting` (sent, in the organisation's inbox) → `taken` (a mediator chats, the assistant is paused)
⇄ `handed_back` (the assistant answers again; the case stays open) → `closed`.
Closed cases are deleted `CASES_RETENTION_DAYS` (default 30) days after closing
(`delete_expired_cases()`, run by the inbox every hour; the privacy retention job calls
`delete_cases_older_than()`). "Forget me" calls `delete_cases_for_sender()`.
Case ids come from `secrets.token_urlsafe`, so they cannot be guessed.

The phone number of a call-back is kept here only: the conversation keeps the slot value "given".
"""
from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa

from bot.database import cases, engine, presence

DRAFT, WAITING, TAKEN, HANDED_BACK, CLOSED = "draft", "waiting", "taken", "handed_back", "closed"
OPEN_STATUSES = (WAITING, TAKEN, HANDED_BACK)
# A mediator counts as online while their inbox page has polled within this many seconds.
ONLINE_SECONDS = 90

@dataclass(frozen=True)
class Case:
    id: str
    sender_id: str
    organisation: str
    status: str
    language: str
    city: str
    province: str
    topic: str
    contact_mode: str
    phone: str
    summary: str
    channel: str
    created_at: float
    submitted_at: float | None
    taken_by: str | None
    closed_at: float | None

    def waiting_seconds(self, now: float | None = None) -> float:
        return max(0.0, (now or time.time()) - (self.submitted_at or self.created_at))


def retention_days() -> float:
    return float(os.environ.get("CASES_RETENTION_DAYS", "30"))


def _case(row) -> Case:
    return Case(**{column: getattr(row, column) for column in Case.__dataclass_fields__})


def save_phone_draft(sender_id: str, phone: str, language: str) -> str:
    """Keeps a call-back number until the summary is approved; replaces an earlier draft."""
    delete_drafts(sender_id)
    case_id = secrets.token_urlsafe(16)
    with engine().begin() as db:
        db.execute(cases.insert().values(
            id=case_id, sender_id=sender_id, organisation="", status=DRAFT, language=language,
            phone=phone, created_at=time.time()))
    return case_id


def draft_phone(sender_id: str) -> str:
    with engine().connect() as db:
        row = db.execute(sa.select(cases.c.phone).where(
            cases.c.sender_id == sender_id, cases.c.status == DRAFT).order_by(cases.c.created_at.desc())).first()
    return row.phone if row else ""


def delete_drafts(sender_id: str) -> None:
    with engine().begin() as db:
        db.execute(cases.delete().where(cases.c.sender_id == sender_id, cases.c.status == DRAFT))


def submit_case(*, sender_id: str, organisation: str, language: str, city: str, province: str, topic: str,
                contact_mode: str, summary: str, channel: str) -> Case:
    """Sends an approved request to `organisation`'s inbox (takes over a call-back draft's number)."""
    phone = draft_phone(sender_id) if contact_mode == "callback" else ""
    delete_drafts(sender_id)
    now = time.time()
    row = dict(id=secrets.token_urlsafe(16), sender_id=sender_id, organisation=organisation, status=WAITING,
               language=language, city=city, province=province, topic=topic, contact_mode=contact_mode,
               phone=phone, summary=summary, channel=channel, created_at=now, submitted_at=now,
               taken_by=None, closed_at=None)
    with engine().begin() as db:
        db.execute(cases.insert().values(**row))
    return Case(**row)


def get_case(case_id: str) -> Case | None:
    if not case_id or len(case_id) > 64:
        return None
    with engine().connect() as db:
        row = db.execute(sa.select(cases).where(cases.c.id == case_id)).first()
    return _case(row) if row else None


def cases_for(organisation: str, include_closed: bool = False) -> list[Case]:
    """The organisation's cases (not drafts), oldest waiting first."""
    statuses = (*OPEN_STATUSES, CLOSED) if include_closed else OPEN_STATUSES
    query = (sa.select(cases).where(cases.c.organisation == organisation, cases.c.status.in_(statuses))
             .order_by(cases.c.status.desc(), cases.c.submitted_at))
    with engine().connect() as db:
        return [_case(row) for row in db.execute(query)]


def open_case_for_sender(sender_id: str) -> Case | None:
    query = (sa.select(cases).where(cases.c.sender_id == sender_id, cases.c.status.in_(OPEN_STATUSES))
             .order_by(cases.c.submitted_at.desc()))
    with engine().connect() as db:
        row = db.execute(query).first()
    return _case(row) if row else None


def set_status(case_id: str, status: str, taken_by: str | None = None) -> None:
    values: dict = {"status": status}
    if status == TAKEN:
        values["taken_by"] = taken_by
    if status == CLOSED:
        values["closed_at"] = time.time()
        values["phone"] = ""  # not needed once the case is closed
    with engine().begin() as db:
        db.execute(cases.update().where(cases.c.id == case_id).values(**values))


def delete_cases_for_sender(sender_id: str) -> int:
    """Deletes every case (and draft) of a conversation: "forget me". Returns how many."""
    with engine().begin() as db:
        return db.execute(cases.delete().where(cases.c.sender_id == sender_id)).rowcount


def delete_expired_cases(now: float | None = None) -> int:
    """Deletes cases closed more than `CASES_RETENTION_DAYS` ago, and drafts older than a day."""
    return delete_cases_older_than(retention_days(), now)


def delete_cases_older_than(days: float, now: float | None = None) -> int:
    """Deletes cases closed more than `days` ago, and drafts older than a day (the retention job)."""
    now = now or time.time()
    with engine().begin() as db:
        closed = db.execute(cases.delete().where(
            cases.c.status == CLOSED, cases.c.closed_at < now - days * 86400)).rowcount
        drafts = db.execute(cases.delete().where(
            cases.c.status == DRAFT, cases.c.created_at < now - 86400)).rowcount
    return closed + drafts


def mark_online(username: str, organisation: str) -> None:
    now = time.time()
    with engine().begin() as db:
        updated = db.execute(presence.update().where(presence.c.username == username).values(
            organisation=organisation, last_seen=now)).rowcount
        if not updated:
            db.execute(presence.insert().values(username=username, organisation=organisation, last_seen=now))


def mediators_online(organisation: str) -> bool:
    """Whether a mediator of `organisation` has the inbox open now."""
    with engine().connect() as db:
        row = db.execute(sa.select(presence.c.username).where(
            presence.c.organisation == organisation,
            presence.c.last_seen > time.time() - ONLINE_SECONDS)).first()
    return row is not None
