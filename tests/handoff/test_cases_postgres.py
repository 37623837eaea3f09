"""Cases, accounts and sessions on a real PostgreSQL (Debian's package, started by this test)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from bot.handoff import cases
from bot.web import auth
from tests.postgres import PostgresCluster, why_postgres_cannot_run


@pytest.fixture(scope="module")
def postgres_url():
    reason = why_postgres_cannot_run()
    if reason:
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="zorgrecht-cases-pg-"))
    folder.chmod(0o711)  # the postgres user must be able to enter it
    cluster = PostgresCluster(folder / "cluster")
    cluster.create()
    try:
        yield cluster.url
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_cases_and_logins_work_on_postgresql(postgres_url, monkeypatch):
    monkeypatch.setenv("CASES_DATABASE_URL", postgres_url.replace("postgresql://", "postgres://", 1))
    case = cases.submit_case(sender_id="pg-person", organisation="stil", language="fa", city="Utrecht",
                             province="Utrecht", topic="gp", contact_mode="chat", summary="شهر: Utrecht",
                             channel="socketio")
    assert [c.id for c in cases.cases_for("stil")] == [case.id]
    assert cases.cases_for("kruispost") == []
    assert cases.get_case(case.id).summary == "شهر: Utrecht"
    cases.set_status(case.id, cases.TAKEN, taken_by="mira")
    assert cases.get_case(case.id).taken_by == "mira"
    auth.add_account("mira", "stil", "mediator", "a long enough password")
    token, csrf = auth.create_session("mira")
    assert auth.session_account(token) == (auth.Account("mira", "stil", "mediator"), csrf)
    assert cases.delete_cases_for_sender("pg-person") == 1
