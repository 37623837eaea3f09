"""The staff figures page on the web front (role `staff`): `/staff/insights`, its CSV and charts.

    GET /staff/insights                    tables (cells below 5 hidden) and charts
    GET /staff/insights/figures.csv        every table as CSV
    GET /staff/insights/charts/<table>.png a bar chart of one table

Login and roles come from `bot.web.auth` (a mediator account gets 403).
"""
from __future__ import annotations

import asyncio
import html
import threading

from aiohttp import web

from bot.insights.figures import Table, all_tables, chart_png, tables_csv
from bot.web.auth import SECURITY_HEADERS, csrf_field, page, require_login

_chart_lock = threading.Lock()  # pyplot keeps global state


def _table_html(table: Table) -> str:
    esc = html.escape
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in table.shown_columns())
    body = "".join(
        f"<tr><th scope=\"row\">{esc(row)}</th>"
        + "".join(f"<td>{esc(table.value(row, c))}</td>" for c in table.shown_columns()) + "</tr>"
        for row in table.shown_rows()
    )
    return (f'<section id="{esc(table.name)}"><h2>{esc(table.name.replace("_", " "))}</h2>'
            f"<table><thead><tr><th>{esc(table.title)}</th>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<img src="/staff/insights/charts/{esc(table.name)}.png" alt="{esc(table.name)} chart"></section>')


@require_login(role="staff")
async def insights_page(request: web.Request) -> web.Response:
    tables = await asyncio.to_thread(all_tables)
    account = request["account"]
    body = (
        "<header><h1>Figures for advocacy</h1>"
        f"<p>Logged in as {html.escape(account.username)} ({html.escape(account.organisation)}). "
        '<form method="post" action="/logout">' + csrf_field(request) + '<button>Log out</button></form></p>'
        "<p>Anonymous counts only: no sender ids, no texts, no dates (months only). "
        "Counts below 5 are shown as &lt;5, and so are the cells that would let someone work them out.</p>"
        '<p><a href="/staff/insights/figures.csv">Download CSV</a></p></header><main>'
        + "".join(_table_html(table) for table in tables) + "</main>"
    )
    return page("Figures for advocacy", body)


@require_login(role="staff")
async def insights_csv(_request: web.Request) -> web.Response:
    text = await asyncio.to_thread(lambda: tables_csv(all_tables()))
    headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="figures.csv"'}
    return web.Response(text=text, content_type="text/csv", charset="utf-8", headers=headers)


@require_login(role="staff")
async def insights_chart(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    tables = {table.name: table for table in await asyncio.to_thread(all_tables)}
    if name not in tables:
        raise web.HTTPNotFound(text="no such chart")

    def draw() -> bytes:
        with _chart_lock:
            return chart_png(tables[name])

    return web.Response(body=await asyncio.to_thread(draw), content_type="image/png", headers=SECURITY_HEADERS)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/insights", insights_page)
    app.router.add_get("/staff/insights/figures.csv", insights_csv)
    app.router.add_get(r"/staff/insights/charts/{name:[a-z_]{1,64}}.png", insights_chart)
