"""The mediator inbox at `/mediator/`: a mediator sees and answers their organisation's cases.

Pages (all need a mediator login, see `bot.web.auth`; another organisation's case is 403):

    GET  /mediator/                          the open cases: status, topic, town, waiting time
    GET  /mediator/cases/{id}                the approved summary, the conversation since the handoff,
                                             a reply box, and the buttons take / hand back / close
    GET  /mediator/cases/{id}/messages       JSON: the conversation since the handoff (polled every second)
    POST /mediator/cases/{id}/take           pauses the assistant and tells the person a mediator is here
    POST /mediator/cases/{id}/reply          field `text`: sent to the person in the same chat
    POST /mediator/cases/{id}/hand-back      resumes the assistant, with a message in the person's language
    POST /mediator/cases/{id}/close          resumes the assistant (if paused) and closes the case

The conversation is read from, and written to, Rasa's tracker through its HTTP API
(`bot.handoff.rasa_api`). Everything shown is escaped; the page's script builds text nodes only.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import time
from typing import Any

from aiohttp import web

from bot.content.store import content
from bot.handoff import cases
from bot.handoff.directory import directory
from bot.handoff.rasa_api import RasaUnavailable, append_events, bot_message, conversation_events, pause, resume
from bot.paths import ROOT
from bot.web import auth
from bot.web.auth import page, require_login

STATIC = ROOT / "web" / "mediator"
MAX_REPLY_CHARACTERS = 4000
PURGE_INTERVAL_SECONDS = 3600
STATUS_LABELS = {cases.WAITING: "waiting", cases.TAKEN: "in chat", cases.HANDED_BACK: "handed back",
                 cases.CLOSED: "closed"}
CONTACT_LABELS = {"chat": "chat now", "callback": "call back", "visit": "visit", "": "—"}


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _waiting(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} days"


def _organisation_name(organisation_id: str) -> str:
    found = directory().organisations.get(organisation_id)
    return found.name if found else organisation_id


def _own_case(request: web.Request) -> cases.Case:
    """The case in the URL, if it belongs to the mediator's organisation (else 404 / 403)."""
    case = cases.get_case(request.match_info["case_id"])
    if case is None or case.status == cases.DRAFT:
        raise web.HTTPNotFound(text="no such case")
    if case.organisation != request["account"].organisation:
        raise web.HTTPForbidden(text="this case belongs to another organisation")
    return case


def _header(request: web.Request) -> str:
    account = request["account"]
    return (
        '<header><a href="/mediator/">Inbox</a>'
        f'<span class="who">{_esc(account.username)} · {_esc(_organisation_name(account.organisation))}</span>'
        f'<form method="post" action="/logout">{auth.csrf_field(request)}<button>Log out</button></form></header>'
    )


@require_login(role="mediator")
async def case_list(request: web.Request) -> web.Response:
    account = request["account"]
    cases.mark_online(account.username, account.organisation)
    now = time.time()
    rows = "".join(
        f'<tr class="status-{_esc(case.status)}"><td><a href="/mediator/cases/{_esc(case.id)}">open</a></td>'
        f"<td>{_esc(STATUS_LABELS.get(case.status, case.status))}</td>"
        f"<td>{_esc(_waiting(case.waiting_seconds(now)))}</td>"
        f"<td>{_esc(case.topic)}</td><td>{_esc(case.city or '—')}</td>"
        f"<td>{_esc(CONTACT_LABELS.get(case.contact_mode, case.contact_mode))}</td><td>{_esc(case.language)}</td></tr>"
        for case in cases.cases_for(account.organisation)
    ) or '<tr><td colspan="7">No open cases.</td></tr>'
    body = (
        _header(request) + f"<main><h1>Cases for {_esc(_organisation_name(account.organisation))}</h1>"
        '<table id="cases"><thead><tr><th></th><th>Status</th><th>Waiting</th><th>Topic</th><th>Town</th>'
        f"<th>Contact</th><th>Language</th></tr></thead><tbody>{rows}</tbody></table></main>"
    )
    response = page("Mediator inbox", body, scripts=("/mediator/static/refresh.js",))
    return response


@require_login(role="mediator")
async def case_page(request: web.Request) -> web.Response:
    case = _own_case(request)
    cases.mark_online(request["account"].username, case.organisation)
    csrf = auth.csrf_field(request)
    details = [
        ("Status", STATUS_LABELS.get(case.status, case.status)),
        ("Waiting", _waiting(case.waiting_seconds())),
        ("Topic", case.topic), ("Town", case.city or "—"), ("Province", case.province or "—"),
        ("Contact", CONTACT_LABELS.get(case.contact_mode, case.contact_mode)), ("Language", case.language),
    ]
    if case.phone:
        details.append(("Phone (call back)", case.phone))
    if case.taken_by:
        details.append(("Mediator", case.taken_by))
    facts = "".join(f"<dt>{_esc(label)}</dt><dd>{_esc(value)}</dd>" for label, value in details)
    direction = ' dir="rtl"' if case.language in ("ar", "fa") else ""
    actions = []
    if case.status != cases.TAKEN:
        actions.append(("take", "Take the case (pause the assistant)"))
    if case.status == cases.TAKEN:
        actions.append(("hand-back", "Hand back to the assistant"))
    actions.append(("close", "Close the case"))
    buttons = "".join(
        f'<form method="post" action="/mediator/cases/{_esc(case.id)}/{name}">{csrf}'
        f"<button>{_esc(label)}</button></form>"
        for name, label in actions)
    body = (
        _header(request) +
        f'<main id="case" data-case="{_esc(case.id)}" data-csrf="{_esc(request["csrf"])}">'
        f"<h1>Case {_esc(case.id[:8])}…</h1><dl>{facts}</dl>"
        f'<h2>Summary the person approved</h2><pre class="summary"{direction}>{_esc(case.summary)}</pre>'
        f'<div class="actions">{buttons}</div>'
        '<h2>Conversation since the handoff</h2><ol id="messages" aria-live="polite"></ol>'
        '<p id="status" role="status"></p>'
        f'<form id="reply" method="post" action="/mediator/cases/{_esc(case.id)}/reply">{csrf}'
        '<label for="reply-text">Reply</label>'
        f'<textarea id="reply-text" name="text" maxlength="{MAX_REPLY_CHARACTERS}" required rows="3"></textarea>'
        '<button type="submit">Send</button></form></main>'
    )
    return page(f"Case {case.id[:8]}", body, scripts=("/mediator/static/inbox.js",))


def _shown(event: dict[str, Any]) -> dict[str, Any] | None:
    """A user or bot event as the inbox shows it (button payloads as such, not as text)."""
    kind = event.get("event")
    if kind not in ("user", "bot"):
        return None
    text = str(event.get("text") or "")
    metadata = event.get("metadata") or {}
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if text.startswith("/"):
            text = f"[button: {intent or text[1:]}]"
        return {"from": "person", "text": text, "at": event.get("timestamp")}
    mediator = metadata.get("mediator") if isinstance(metadata, dict) else None
    return {"from": "mediator" if mediator else "assistant", "who": mediator or "", "text": text,
            "at": event.get("timestamp")}


@require_login(role="mediator")
async def case_messages(request: web.Request) -> web.Response:
    case = _own_case(request)
    cases.mark_online(request["account"].username, case.organisation)
    try:
        events = await conversation_events(case.sender_id)
    except RasaUnavailable:
        return web.json_response({"error": "The assistant is not reachable; retrying."}, status=503,
                                 headers=auth.SECURITY_HEADERS)
    since = (case.submitted_at or case.created_at) - 1
    shown = [m for m in (_shown(e) for e in events if (e.get("timestamp") or 0) >= since) if m and m["text"]]
    fresh = cases.get_case(case.id) or case
    return web.json_response({"status": fresh.status, "messages": shown}, headers=auth.SECURITY_HEADERS)


def _answer(answer_id: str, case: cases.Case) -> dict[str, Any]:
    """An answer of content/ in the person's language, as a bot event with its buttons."""
    rendered = content().render(answer_id, case.language, {"organisation": _organisation_name(case.organisation)})
    return bot_message("\n\n".join(rendered.messages), buttons=rendered.buttons, answer_id=answer_id)


def _back_to(request: web.Request, case: cases.Case) -> web.StreamResponse:
    if request.headers.get("X-CSRF-Token"):  # the page's script: no redirect needed
        return web.json_response({"status": (cases.get_case(case.id) or case).status}, headers=auth.SECURITY_HEADERS)
    raise web.HTTPSeeOther(f"/mediator/cases/{case.id}")


async def _send(case: cases.Case, events: list[dict[str, Any]]) -> None:
    try:
        await append_events(case.sender_id, events, deliver=True)
    except RasaUnavailable as error:
        raise web.HTTPBadGateway(text=f"{error}. Nothing was changed; try again.") from error


@require_login(role="mediator")
async def take(request: web.Request) -> web.StreamResponse:
    case = _own_case(request)
    if case.status == cases.CLOSED:
        raise web.HTTPConflict(text="the case is closed")
    if case.status != cases.TAKEN:
        await _send(case, [pause(), _answer("handoff_taken", case)])
        cases.set_status(case.id, cases.TAKEN, taken_by=request["account"].username)
    return _back_to(request, case)


async def _reply_text(request: web.Request) -> str:
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise web.HTTPBadRequest(text="malformed JSON") from error
        text = body.get("text") if isinstance(body, dict) else None
    else:
        text = (await request.post()).get("text")
    if not isinstance(text, str) or not text.strip():
        raise web.HTTPBadRequest(text="empty reply")
    if len(text) > MAX_REPLY_CHARACTERS:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_REPLY_CHARACTERS, actual_size=len(text))
    return text.strip()


@require_login(role="mediator")
async def reply(request: web.Request) -> web.StreamResponse:
    case = _own_case(request)
    if case.status == cases.CLOSED:
        raise web.HTTPConflict(text="the case is closed")
    text = await _reply_text(request)
    username = request["account"].username
    events = [bot_message(text, mediator=username)]
    if case.status != cases.TAKEN:  # replying takes the case: the assistant must not answer over a person
        events = [pause(), _answer("handoff_taken", case), *events]
    await _send(case, events)
    if case.status != cases.TAKEN:
        cases.set_status(case.id, cases.TAKEN, taken_by=username)
    return _back_to(request, case)


@require_login(role="mediator")
async def hand_back(request: web.Request) -> web.StreamResponse:
    case = _own_case(request)
    if case.status == cases.TAKEN:
        await _send(case, [resume(), _answer("handoff_handed_back", case)])
        cases.set_status(case.id, cases.HANDED_BACK)
    return _back_to(request, case)


@require_login(role="mediator")
async def close(request: web.Request) -> web.StreamResponse:
    case = _own_case(request)
    if case.status != cases.CLOSED:
        events = [_answer("handoff_closed", case)]
        await _send(case, [resume(), *events] if case.status == cases.TAKEN else events)
        cases.set_status(case.id, cases.CLOSED)
    if request.headers.get("X-CSRF-Token"):
        return web.json_response({"status": cases.CLOSED}, headers=auth.SECURITY_HEADERS)
    raise web.HTTPSeeOther("/mediator/")


async def static_file(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    types = {"inbox.js": "text/javascript", "refresh.js": "text/javascript", "inbox.css": "text/css"}
    if name not in types:
        raise web.HTTPNotFound()
    return web.Response(body=(STATIC / name).read_bytes(), content_type=types[name],
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


async def to_inbox(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/mediator/")


async def _purge_closed_cases(_app: web.Application) -> None:
    while True:
        with contextlib.suppress(Exception):  # a database hiccup must not stop the inbox
            await asyncio.get_running_loop().run_in_executor(None, cases.delete_expired_cases)
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)


async def _start_purge(app: web.Application) -> None:
    app["handoff_purge"] = asyncio.create_task(_purge_closed_cases(app))


async def _stop_purge(app: web.Application) -> None:
    app["handoff_purge"].cancel()


def setup(app: web.Application) -> None:
    """Adds the inbox's routes (and the login pages), and the hourly deletion of expired cases."""
    auth.setup(app)
    app.router.add_get("/mediator", to_inbox)
    app.router.add_get("/mediator/", case_list)
    app.router.add_get("/mediator/static/{name}", static_file)
    app.router.add_get("/mediator/cases/{case_id}", case_page)
    app.router.add_get("/mediator/cases/{case_id}/messages", case_messages)
    app.router.add_post("/mediator/cases/{case_id}/take", take)
    app.router.add_post("/mediator/cases/{case_id}/reply", reply)
    app.router.add_post("/mediator/cases/{case_id}/hand-back", hand_back)
    app.router.add_post("/mediator/cases/{case_id}/close", close)
    app.on_startup.append(_start_purge)
    app.on_cleanup.append(_stop_purge)
