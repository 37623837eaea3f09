"""The chat page's HTML, headers and assets, served by a real aiohttp app (no Rasa needed)."""
from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.content.store import content
from bot.languages import RIGHT_TO_LEFT, SUPPORTED
from bot.web.app import create_app
from bot.web.chat import REMOTE_IMPORT, negotiated_language, page_texts
from tests.awkward import AWKWARD_STRINGS


def fetch(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """GETs `path` from the whole web front; returns status, headers and body."""

    async def run() -> tuple[int, dict[str, str], str]:
        async with TestClient(TestServer(create_app())) as client:
            response = await client.get(path, headers=headers or {})
            return response.status, dict(response.headers), await response.text()

    return asyncio.run(run())


def page_config(body: str) -> dict:
    block = re.search(r'<script id="chat-config" type="application/json">(.*?)</script>', body, re.S)
    assert block, "the page has no config block"
    return json.loads(block.group(1))


@pytest.mark.parametrize("language", SUPPORTED)
def test_page_is_in_the_language_asked_for(language):
    status, _headers, body = fetch(f"/?lang={language}")
    assert status == 200
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in body
    texts = page_texts(language)
    assert f"<title>{texts['title']}</title>" in body
    assert texts["privacy_line"] in body and f'href="/privacy?lang={language}"' in body
    assert page_config(body)["language"] == language


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_language_has_every_page_text(language):
    notes = content().languages[language].notes
    missing = [key for key in page_texts("en") if not notes.get("web_" + key)]
    assert not missing


def test_without_lang_the_browsers_language_is_used():
    assert negotiated_language("fa-IR,fa;q=0.9,en;q=0.8") == "fa"
    assert negotiated_language("de-DE,tr;q=0.5") == "tr"
    assert negotiated_language("") == "nl"
    _status, _headers, body = fetch("/", {"Accept-Language": "ar-MA,ar;q=0.9"})
    assert page_config(body)["language"] == "ar"


def test_discreet_page_has_a_neutral_title():
    _status, _headers, body = fetch("/?lang=en&discreet=1")
    assert "<title>Notes</title>" in body and "without papers" not in body
    assert page_config(body)["discreet"] is True


UNKNOWN_LANGUAGES = [s for s in AWKWARD_STRINGS if s.strip() and len(s) < 2000] + ["de", "EN", "x" * 1500]


@pytest.mark.parametrize("value", UNKNOWN_LANGUAGES, ids=range(len(UNKNOWN_LANGUAGES)))
def test_an_unknown_language_is_a_clear_400(value):
    status, _headers, body = fetch("/?lang=" + quote(value))
    assert status == 400 and "lang=nl" in body and "<script" not in body


def test_a_huge_query_is_refused_before_the_page():
    status, _headers, _body = fetch("/?lang=" + "x" * 10_000)
    assert status == 400


def test_the_config_block_cannot_be_closed_by_a_text(monkeypatch):
    from bot.web import chat

    monkeypatch.setattr(chat, "page_texts", lambda language: {**page_texts(language), "title": "</script><b>x"})
    body = chat.chat_page("en", discreet=False)
    assert "</script><b>" not in body
    assert page_config(body)["texts"]["title"] == "</script><b>x"


def test_page_may_reach_only_this_server_and_rasa(monkeypatch):
    monkeypatch.setenv("RASA_PUBLIC_URL", "http://127.0.0.1:5999")
    monkeypatch.setenv("PUBLIC_URL", "http://127.0.0.1:5999")
    _status, headers, body = fetch("/?lang=nl")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in policy
    assert "img-src 'self' data: http://127.0.0.1:5999" in policy
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
    assert page_config(body)["socketUrl"] == "http://127.0.0.1:5999"
    assert not re.search(r'(src|href)="(https?:)?//', body), "the page links to another server"


def test_widget_bundle_is_served_without_its_remote_font():
    status, headers, body = fetch("/static/webchat/index.js")
    if status == 503:
        pytest.fail("web/node_modules is missing: run `make web`")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "WebChat" in body and "fonts.googleapis.com" not in body
    assert not REMOTE_IMPORT.search(body)


@pytest.mark.parametrize("path", ["/static/chat/chat.js", "/static/chat/chat.css"])
def test_own_assets_are_served(path):
    status, _headers, body = fetch(path)
    assert status == 200 and body


@pytest.mark.parametrize("path", ["/static/chat/../../bot/secrets.py", "/static/chat/%2e%2e%2fapp.py",
                                  "/static/chat/missing.js", "/static/webchat/other.js"])
def test_other_static_paths_are_not_found(path):
    status, _headers, _body = fetch(path)
    assert status == 404
