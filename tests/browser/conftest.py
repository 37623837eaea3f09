"""Headless Chromium (Debian's package) driven by Playwright, against the real servers and web front.

One browser and one set of servers (tests/conftest.py `servers`) for the whole session; each test
gets a fresh browser context, so its own empty localStorage, like a new visitor.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Every console error of the session, printed at the end of the run (see pytest_terminal_summary).
CONSOLE_ERRORS: list[str] = []


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium, headless, per module: a live sync Playwright keeps an asyncio loop running in
    this thread, which would break every later test that calls asyncio.run()."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-packages (Debian package chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class Recorder:
    """Every request a page makes, and what it printed as an error."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("console", self._console)

    def _console(self, message) -> None:  # type: ignore[no-untyped-def]
        if message.type == "error":
            self.errors.append(message.text)
            CONSOLE_ERRORS.append(message.text)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but this machine (data: URLs never leave the page)."""
        return [
            url for url in self.urls
            if not url.startswith("data:") and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def chat(browser, servers) -> Iterator:
    """A chat page helper in a fresh context; fails the test if the page reached another host."""
    from tests.browser.chat_page import ChatPage

    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    recorder = Recorder(page)
    yield ChatPage(page, servers.web, recorder)
    context.close()
    assert not recorder.foreign_requests(), recorder.foreign_requests()
    # The page's Content-Security-Policy stops a request to another host before it is made: such a
    # refusal is the only trace of an attempt, so it fails the test too.
    refused = [error for error in recorder.errors if "Content Security Policy" in error]
    uncaught = [error for error in recorder.errors if error.startswith("uncaught")]
    assert not refused and not uncaught, refused + uncaught


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Lists the console errors Chromium showed during the browser tests, if any."""
    if CONSOLE_ERRORS:
        terminalreporter.write_sep("-", f"Chromium console errors: {len(CONSOLE_ERRORS)}")
        for error in sorted(set(CONSOLE_ERRORS)):
            terminalreporter.write_line(error[:300])
