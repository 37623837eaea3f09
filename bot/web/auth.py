"""Logins for the web front's staff pages (mediator inbox, staff insights).

Accounts
    Created on the command line, never through the web:
    `python -m bot accounts add --org <organisation id> --role mediator|staff <username>`
    (the password is prompted, or read from stdin when piped). `python -m bot accounts list` and
    `python -m bot accounts remove <username>` exist too. In code: `add_account()`, `remove_account()`.
    Passwords are hashed with scrypt (`hashlib.scrypt`, n=2**14, r=8, p=1, 16-byte salt).

Sessions
    `POST /login` (form fields `username`, `password`, `csrf`, optional `next`) sets the cookie
    `session` (HttpOnly, SameSite=Strict, Secure when the request came over HTTPS or
    `COOKIE_SECURE=1`), valid `SESSION_HOURS` (default 12) hours. `POST /logout` ends it.
    Accounts and sessions live in the same database as the cases (`bot.database`).

Protecting a handler
    @require_login(role="mediator")            # or "staff", or None for any logged-in account
    async def inbox(request): account = request["account"]   # an `Account`

    Not logged in: a GET gets a redirect to `/login?next=<path>`, anything else 401. Wrong role: 403.
    A POST must carry the session's CSRF token, as form field `csrf` or header `X-CSRF-Token`, else
    403; put `csrf_field(request)` in every form, or `request["csrf"]` in a fetch header.

Login rate limit
    After `MAX_FAILURES_PER_USERNAME` (5) failed logins for one username, or
    `MAX_FAILURES_PER_ADDRESS` (20) from one address, within `FAILURE_WINDOW_SECONDS` (15 min),
    `POST /login` answers 429 until the window has passed, even with the right password.

Pages
    `page(title, body_html)` wraps escaped HTML in a page with the security headers
    (`SECURITY_HEADERS`: a strict CSP without inline scripts, no framing, no referrer).
    `setup(app)` adds `/login` and `/logout`; it is listed in `bot.web.app.SECTIONS`.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import html
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from aiohttp import web

from bot.database import accounts, engine, login_failures, sessions

ROLES = ("mediator", "staff")
COOKIE = "session"
LOGIN_COOKIE = "login_csrf"
SESSION_HOURS = float(os.environ.get("SESSION_HOURS", "12"))
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
ORGANISATION = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Account:
    """A logged-in person."""

    username: str
    organisation: str
    role: str


# --- passwords ---------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (base64) for `password`."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the hash `stored` (constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


@functools.cache
def _dummy_hash() -> str:
    """Compared against when the username does not exist, so that both cases take the same time."""
    return hash_password(secrets.token_urlsafe(16))


# --- accounts ----------------------------------------------------------------------------------

def add_account(username: str, organisation: str, role: str, password: str) -> Account:
    """Creates (or replaces the password, organisation and role of) an account."""
    if not USERNAME.match(username):
        raise ValueError("username: 2-64 characters, lower-case letters, digits, '.', '_' or '-'")
    if not ORGANISATION.match(organisation):
        raise ValueError("organisation: an id from content/ngos.yml (lower-case letters, digits, '_', '-')")
    if role not in ROLES:
        raise ValueError(f"role: one of {', '.join(ROLES)}")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValueError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    row = {"organisation": organisation, "role": role, "password_hash": hash_password(password)}
    with engine().begin() as db:
        exists = db.execute(sa.select(accounts.c.username).where(accounts.c.username == username)).first()
        if exists:
            db.execute(accounts.update().where(accounts.c.username == username).values(**row))
            db.execute(sessions.delete().where(sessions.c.username == username))
        else:
            db.execute(accounts.insert().values(username=username, created_at=time.time(), **row))
    return Account(username, organisation, role)


def remove_account(username: str) -> bool:
    """Deletes an account and its sessions; whether it existed."""
    with engine().begin() as db:
        db.execute(sessions.delete().where(sessions.c.username == username))
        return db.execute(accounts.delete().where(accounts.c.username == username)).rowcount > 0


def list_accounts() -> list[Account]:
    with engine().connect() as db:
        rows = db.execute(sa.select(accounts).order_by(accounts.c.organisation, accounts.c.username))
        return [Account(row.username, row.organisation, row.role) for row in rows]


# --- sessions ----------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(username: str) -> tuple[str, str]:
    """A new session for `username`: (cookie value, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = time.time()
    with engine().begin() as db:
        db.execute(sessions.delete().where(sessions.c.expires_at < now))
        db.execute(sessions.insert().values(
            token_hash=_token_hash(token), username=username, csrf_token=csrf,
            expires_at=now + SESSION_HOURS * 3600))
    return token, csrf


def session_account(token: str | None) -> tuple[Account, str] | None:
    """The account and CSRF token of a valid session cookie, or None."""
    if not token or len(token) > 100:
        return None
    query = (
        sa.select(accounts.c.username, accounts.c.organisation, accounts.c.role, sessions.c.csrf_token)
        .select_from(sessions.join(accounts, sessions.c.username == accounts.c.username))
        .where(sessions.c.token_hash == _token_hash(token), sessions.c.expires_at > time.time())
    )
    with engine().connect() as db:
        row = db.execute(query).first()
    if row is None:
        return None
    return Account(row.username, row.organisation, row.role), row.csrf_token


def end_session(token: str | None) -> None:
    if token:
        with engine().begin() as db:
            db.execute(sessions.delete().where(sessions.c.token_hash == _token_hash(token)))


# --- login rate limit --------------------------------------------------------------------------

def _recent_failures(db: sa.engine.Connection, column: sa.Column, value: str, since: float) -> int:
    query = sa.select(sa.func.count()).select_from(login_failures).where(column == value, login_failures.c.at > since)
    return db.execute(query).scalar_one()


def login_blocked(username: str, address: str) -> bool:
    """Whether too many logins failed recently for this username or from this address."""
    since = time.time() - FAILURE_WINDOW_SECONDS
    with engine().connect() as db:
        return (_recent_failures(db, login_failures.c.username, username, since) >= MAX_FAILURES_PER_USERNAME
                or _recent_failures(db, login_failures.c.address, address, since) >= MAX_FAILURES_PER_ADDRESS)


def record_failure(username: str, address: str) -> None:
    now = time.time()
    with engine().begin() as db:
        db.execute(login_failures.delete().where(login_failures.c.at < now - FAILURE_WINDOW_SECONDS))
        db.execute(login_failures.insert().values(username=username[:64], address=address[:64], at=now))


def authenticate(username: str, password: str) -> Account | None:
    """The account if the password is right (always spends one scrypt, found or not)."""
    with engine().connect() as db:
        row = db.execute(sa.select(accounts).where(accounts.c.username == username)).first()
    if not verify_password(password, row.password_hash if row else _dummy_hash()) or row is None:
        return None
    return Account(row.username, row.organisation, row.role)


# --- aiohttp helpers ---------------------------------------------------------------------------

def page(title: str, body_html: str, status: int = 200, scripts: tuple[str, ...] = (),
         styles: tuple[str, ...] = ("/mediator/static/inbox.css",)) -> web.Response:
    """An HTML page with the security headers. `body_html` must already be escaped."""
    head = "".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in styles)
    tail = "".join(f'<script src="{html.escape(s)}" defer></script>' for s in scripts)
    document = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{html.escape(title)}</title>{head}{tail}</head><body>{body_html}</body></html>")
    return web.Response(text=document, content_type="text/html", status=status, headers=SECURITY_HEADERS)


def csrf_field(request: web.Request) -> str:
    """A hidden form field with the session's CSRF token."""
    return f'<input type="hidden" name="csrf" value="{html.escape(request["csrf"])}">'


def client_address(request: web.Request) -> str:
    """The caller's address: the peer, or X-Forwarded-For's last hop from a `TRUSTED_PROXIES` peer."""
    from bot.security.limits import client_address as address_through_proxies

    return (address_through_proxies(request.remote, request.headers.get("X-Forwarded-For")) or "unknown")[:64]


async def _submitted_csrf(request: web.Request) -> str:
    if request.headers.get("X-CSRF-Token"):
        return request.headers["X-CSRF-Token"]
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        value = form.get("csrf")
        return value if isinstance(value, str) else ""
    return ""


def _safe_next(target: str | None, default: str = "/mediator/") -> str:
    """Only a path on this site (no `//host`, no scheme) may follow a login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _cookie_secure(request: web.Request) -> bool:
    return request.secure or os.environ.get("COOKIE_SECURE") == "1"


def require_login(role: str | None = None) -> Callable[[Handler], Handler]:
    """Decorator: the handler runs only for a logged-in account (of `role`), POSTs only with CSRF."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            found = session_account(request.cookies.get(COOKIE))
            if found is None:
                if request.method == "GET":
                    raise web.HTTPFound(f"/login?next={quote(request.path_qs, safe='')}")
                raise web.HTTPUnauthorized(text="log in first")
            account, csrf = found
            if role is not None and account.role != role:
                raise web.HTTPForbidden(text="not allowed for this account")
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                if not hmac.compare_digest((await _submitted_csrf(request)).encode(), csrf.encode()):
                    raise web.HTTPForbidden(text="missing or wrong CSRF token")
            request["account"], request["csrf"] = account, csrf
            return await handler(request)

        return wrapper

    return decorate


def _login_form(next_path: str, csrf: str, message: str = "") -> str:
    notice = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return (
        '<main class="login"><h1>Log in</h1>' + notice +
        '<form method="post" action="/login">'
        f'<input type="hidden" name="csrf" value="{html.escape(csrf)}">'
        f'<input type="hidden" name="next" value="{html.escape(next_path)}">'
        '<label>Username <input name="username" autocomplete="username" required maxlength="64"></label>'
        '<label>Password <input name="password" type="password" autocomplete="current-password" required '
        'maxlength="1024"></label>'
        '<button type="submit">Log in</button></form></main>'
    )


def _with_login_cookie(request: web.Request, response: web.Response, csrf: str) -> web.Response:
    response.set_cookie(LOGIN_COOKIE, csrf, httponly=True, samesite="Strict", path="/login",
                        secure=_cookie_secure(request), max_age=3600)
    return response


async def login_page(request: web.Request) -> web.Response:
    # Login CSRF: a random value in a cookie and in the form must match (double submit).
    csrf = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    next_path = _safe_next(request.query.get("next"))
    return _with_login_cookie(request, page("Log in", _login_form(next_path, csrf)), csrf)


async def login(request: web.Request) -> web.Response:
    try:
        form = await request.post()
    except ValueError as error:
        raise web.HTTPBadRequest(text="malformed form") from error
    fields = {key: form.get(key) for key in ("username", "password", "csrf", "next")}
    if not all(isinstance(value, str) for value in fields.values() if value is not None):
        raise web.HTTPBadRequest(text="malformed form")
    cookie_csrf = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie_csrf or not hmac.compare_digest((fields["csrf"] or "").encode(), cookie_csrf.encode()):
        raise web.HTTPForbidden(text="missing or wrong CSRF token: reload the login page")
    username = (fields["username"] or "").strip().lower()[:64]
    password = (fields["password"] or "")[:MAX_PASSWORD_LENGTH]
    next_path = _safe_next(fields["next"])
    address = client_address(request)
    if login_blocked(username, address):
        response = page("Log in", _login_form(next_path, cookie_csrf, "Too many failed attempts. Wait 15 minutes."),
                        status=429)
        response.headers["Retry-After"] = str(FAILURE_WINDOW_SECONDS)
        return response
    account = authenticate(username, password)
    if account is None:
        record_failure(username, address)
        return page("Log in", _login_form(next_path, cookie_csrf, "Wrong username or password."), status=401)
    token, _ = create_session(account.username)
    response = web.HTTPSeeOther(next_path)
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/",
                        secure=_cookie_secure(request), max_age=int(SESSION_HOURS * 3600))
    response.del_cookie(LOGIN_COOKIE, path="/login")
    raise response


@require_login()
async def logout(request: web.Request) -> web.Response:
    end_session(request.cookies.get(COOKIE))
    response = web.HTTPSeeOther("/login")
    response.del_cookie(COOKIE, path="/")
    raise response


def setup(app: web.Application) -> None:
    """Adds `/login` and `/logout` (once, however many sections call it)."""
    if app.get("auth_routes_added"):
        return
    app["auth_routes_added"] = True
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)


# --- command line: python -m bot accounts ... ---------------------------------------------------

def add_cli(commands) -> None:
    """Adds the `accounts` command to `python -m bot`'s subparsers."""
    parser = commands.add_parser("accounts", help="add, list or remove mediator and staff accounts")
    actions = parser.add_subparsers(dest="accounts_command", required=True)
    add = actions.add_parser("add", help="create an account (password prompted, or read from stdin)")
    add.add_argument("--org", required=True, help="organisation id from content/ngos.yml")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("username")
    actions.add_parser("list", help="list the accounts")
    remove = actions.add_parser("remove", help="delete an account and its sessions")
    remove.add_argument("username")


def run_cli(args) -> int:
    """Runs `python -m bot accounts ...`."""
    import getpass
    import sys

    if args.accounts_command == "add":
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Again: ") != password:
                print("The passwords differ.", file=sys.stderr)
                return 1
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            account = add_account(args.username.lower(), args.org, args.role, password)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 1
        print(f"account {account.username} ({account.role}, {account.organisation}) saved")
        return 0
    if args.accounts_command == "list":
        for account in list_accounts():
            print(f"{account.username}\t{account.role}\t{account.organisation}")
        return 0
    if args.accounts_command == "remove":
        found = remove_account(args.username.lower())
        print(("removed " if found else "no such account: ") + args.username)
        return 0 if found else 1
    return 2
