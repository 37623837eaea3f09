"""The staff figures page on the real web front: login, roles, escaping, CSV and charts."""
from __future__ import annotations

import asyncio
import csv
import io
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.insights import store
from bot.web.app import create_app
from bot.web.auth import add_account

PASSWORD = "correct horse battery staple"


@pytest.fixture
def accounts(tmp_path, monkeypatch, insights_db):
    monkeypatch.setenv("CASES_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    add_account("sam.staff", "dvdw", "staff", PASSWORD)
    add_account("mo.mediator", "dvdw", "mediator", PASSWORD)


async def logged_in(client: TestClient, username: str) -> None:
    form = await (await client.get("/login")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = await client.post("/login", data={"username": username, "password": PASSWORD, "csrf": csrf,
                                                 "next": "/staff/insights"}, allow_redirects=False)
    assert response.status == 303, await response.text()


def visit(username: str | None, *paths: str) -> list[tuple[int, dict, bytes]]:
    async def run() -> list[tuple[int, dict, bytes]]:
        async with TestClient(TestServer(create_app())) as client:
            if username:
                await logged_in(client, username)
            results = []
            for path in paths:
                response = await client.get(path, allow_redirects=False)
                results.append((response.status, dict(response.headers), await response.read()))
            return results

    return asyncio.run(run())


PATHS = ("/staff/insights", "/staff/insights/figures.csv", "/staff/insights/charts/refusals_by_place.png")


def test_without_login_every_staff_path_redirects_to_the_login_page(accounts):
    for status, headers, _body in visit(None, *PATHS):
        assert status == 302 and headers["Location"].startswith("/login?next=")


def test_a_mediator_account_is_refused(accounts):
    assert [status for status, _h, _b in visit("mo.mediator", *PATHS)] == [403, 403, 403]


def test_staff_see_tables_charts_and_csv_with_small_cells_hidden(accounts):
    for _ in range(8):
        store.add_refusal("pharmacy", "not_contracted", "Limburg")
    for _ in range(5):
        store.add_refusal("gp", "asked_to_pay", "Utrecht")
    store.add_refusal("hospital", "other", "Zeeland")
    for _ in range(6):
        store.count("question", "<script>alert(1)</script>", "ar")
    pages = visit("sam.staff", *PATHS)
    (page_status, headers, page), (csv_status, csv_headers, csv_body), (png_status, _h, png) = pages
    assert page_status == 200 and "default-src 'self'" in headers["Content-Security-Policy"]
    text = page.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;5" in text and 'src="/staff/insights/charts/refusals_by_region.png"' in text
    assert csv_status == 200 and csv_headers["Content-Type"].startswith("text/csv")
    rows = {(r["table"], r["row"], r["column"]): r["value"] for r in csv.DictReader(io.StringIO(csv_body.decode()))}
    assert rows[("refusals_by_region", "Limburg", "refusals")] == "8"
    assert rows[("refusals_by_region", "Zeeland", "refusals")] == "<5"
    assert rows[("refusals_by_region", "total", "refusals")] == "14"
    assert png_status == 200 and png.startswith(b"\x89PNG")


def test_an_unknown_chart_is_404_for_staff(accounts):
    [(status, _h, _b)] = visit("sam.staff", "/staff/insights/charts/nothing_here.png")
    assert status == 404
