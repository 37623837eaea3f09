"""Logins for the staff pages (bot/web/auth.py), over real HTTP against the web front's routes."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import requests
from aiohttp import web

from bot.paths import ROOT
from bot.web import auth
from tests.handoff.web_front import running_web_front

PASSWORD = "a long enough password"


@pytest.fixture()
def var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("CASES_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture()
def front(var_dir):
    from bot.handoff import inbox

    app = web.Application()
    inbox.setup(app)  # adds the login pages too
    with running_web_front(app) as url:
        yield url


def login(url: str, username: str, password: str = PASSWORD, session: requests.Session | None = None):
    session = session or requests.Session()
    form = session.get(f"{url}/login", timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    response = session.post(f"{url}/login", data={"username": username, "password": password, "csrf": csrf,
                                                  "next": "/mediator/"}, allow_redirects=False, timeout=30)
    return session, response


def test_password_is_stored_as_scrypt_hash_and_verified(var_dir):
    stored = auth.hash_password(PASSWORD)
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert auth.verify_password(PASSWORD, stored)
    assert not auth.verify_password(PASSWORD + "x", stored)
    assert not auth.verify_password(PASSWORD, "garbage")


def test_account_command_reads_the_password_from_stdin(var_dir):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "accounts", "add", "--org", "stil", "--role", "mediator", "Sara"],
        input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert auth.authenticate("sara", PASSWORD) == auth.Account("sara", "stil", "mediator")
    short = subprocess.run(
        [sys.executable, "-m", "bot", "accounts", "add", "--org", "stil", "--role", "mediator", "bob"],
        input="short\n", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert short.returncode == 1 and "password" in short.stderr


def test_login_sets_a_strict_httponly_session_cookie_and_logout_ends_it(front):
    auth.add_account("mira", "dvdw", "mediator", PASSWORD)
    session, response = login(front, "mira")
    assert response.status_code == 303 and response.headers["Location"] == "/mediator/"
    cookie = next(c for c in response.raw.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    inbox = session.get(f"{front}/mediator/", timeout=10)
    assert inbox.status_code == 200 and "Cases for Dokters van de Wereld" in inbox.text
    assert "Content-Security-Policy" in inbox.headers and "frame-ancestors 'none'" in inbox.headers[
        "Content-Security-Policy"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', inbox.text).group(1)
    assert session.post(f"{front}/logout", data={"csrf": csrf}, allow_redirects=False, timeout=10).status_code == 303
    assert session.get(f"{front}/mediator/", allow_redirects=False, timeout=10).status_code == 302


def test_no_login_redirects_pages_and_refuses_posts(front):
    page = requests.get(f"{front}/mediator/", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and page.headers["Location"].startswith("/login?next=")
    post = requests.post(f"{front}/mediator/cases/abc/reply", data={"text": "hi"}, timeout=10)
    assert post.status_code == 401


def test_post_without_csrf_token_is_refused(front):
    auth.add_account("mira", "dvdw", "mediator", PASSWORD)
    session, _ = login(front, "mira")
    assert session.post(f"{front}/logout", allow_redirects=False, timeout=10).status_code == 403
    assert session.post(f"{front}/logout", data={"csrf": "wrong"}, allow_redirects=False, timeout=10).status_code == 403
    # The login form itself needs its token too.
    fresh = requests.post(f"{front}/login", data={"username": "mira", "password": PASSWORD}, timeout=10)
    assert fresh.status_code == 403


def test_staff_account_cannot_open_the_mediator_inbox(front):
    auth.add_account("sam", "dvdw", "staff", PASSWORD)
    session, _ = login(front, "sam")
    assert session.get(f"{front}/mediator/", timeout=10).status_code == 403


def test_login_is_rate_limited_per_username_even_with_the_right_password(front):
    auth.add_account("mira", "dvdw", "mediator", PASSWORD)
    for _ in range(auth.MAX_FAILURES_PER_USERNAME):
        assert login(front, "mira", "wrong password!")[1].status_code == 401
    blocked = login(front, "mira")[1]
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


def test_login_is_rate_limited_per_address(front):
    auth.add_account("mira", "dvdw", "mediator", PASSWORD)
    for number in range(auth.MAX_FAILURES_PER_ADDRESS):
        login(front, f"nobody{number}", "wrong password!")
    assert login(front, "mira")[1].status_code == 429


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_to_another_site(front, target):
    auth.add_account("mira", "dvdw", "mediator", PASSWORD)
    session = requests.Session()
    form = session.get(f"{front}/login", params={"next": target}, timeout=10)
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    response = session.post(f"{front}/login", data={"username": "mira", "password": PASSWORD, "csrf": csrf,
                                                     "next": target}, allow_redirects=False, timeout=30)
    assert response.headers["Location"] == "/mediator/"


@pytest.mark.parametrize("body", [b"", b"\xff\xfe" * 1000, b"username=" + b"a" * 60000, b"%%%&&&==="])
def test_malformed_login_forms_get_a_4xx(front, body):
    response = requests.post(f"{front}/login", data=body, timeout=10,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500
