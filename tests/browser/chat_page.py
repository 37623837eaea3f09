"""What a person does on the chat page, as methods: open it, type, press a button, read the replies."""
from __future__ import annotations

import time
from urllib.parse import urlencode

BOT_TEXT = ".rw-response"
USER_TEXT = ".rw-client"
INPUT = ".rw-new-message"
BUTTON = ".rw-reply"
REPLY_TIMEOUT = 90  # seconds; Rasa on a busy 2-core machine can be slow


class ChatPage:
    """A Playwright page on the chat page of the web front at `web_url`."""

    def __init__(self, page, web_url: str, recorder) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.web_url = web_url
        self.recorder = recorder

    def open(self, **query: str) -> list[str]:
        """Opens `/?<query>` and waits for the greeting (or the stored history); returns the bot's texts."""
        self.page.goto(f"{self.web_url}/" + (f"?{urlencode(query)}" if query else ""))
        return self.wait_for_bot_messages(after=0)

    def reload(self) -> list[str]:
        self.page.reload()
        return self.wait_for_bot_messages(after=0)

    def bot_messages(self) -> list[str]:
        return [text.strip() for text in self.page.locator(BOT_TEXT).all_inner_texts()]

    def user_messages(self) -> list[str]:
        return [text.strip() for text in self.page.locator(USER_TEXT).all_inner_texts()]

    def send(self, text: str) -> list[str]:
        """Types `text` and presses Enter; returns the bot's new messages."""
        before = len(self.bot_messages())
        self.page.locator(INPUT).fill(text)
        self.page.locator(INPUT).press("Enter")
        return self.wait_for_bot_messages(after=before)

    def press_button(self, title: str) -> list[str]:
        """Clicks the last quick-reply button called `title`; returns the bot's new messages."""
        before = len(self.bot_messages())
        self.page.locator(BUTTON, has_text=title).last.click()
        return self.wait_for_bot_messages(after=before)

    def wait_for_bot_messages(self, after: int, settle: float = 1.5) -> list[str]:
        """Waits for messages beyond the first `after`, until none has come for `settle` seconds."""
        deadline = time.time() + REPLY_TIMEOUT
        self.wait_until(f"() => document.querySelectorAll('{BOT_TEXT}').length > {after}")
        count, stable_since = -1, time.time()
        while time.time() < deadline:
            current = len(self.bot_messages())
            if current != count:
                count, stable_since = current, time.time()
            elif time.time() - stable_since >= settle:
                break
            time.sleep(0.2)
        return self.bot_messages()[after:]

    def wait_until(self, condition: str, arg: object = None, timeout: float = REPLY_TIMEOUT) -> None:
        """Polls the JavaScript function `condition` until it is true.

        Playwright's wait_for_function evaluates strings, which the page's Content-Security-Policy
        forbids; page.evaluate goes through the DevTools protocol and is allowed.
        """
        deadline = time.time() + timeout
        while not self.page.evaluate(condition, arg):
            if time.time() > deadline:
                raise TimeoutError(f"not true after {timeout} s: {condition}")
            time.sleep(0.2)

    def direction(self, selector: str) -> str:
        """The computed CSS direction of the first element matching `selector`."""
        return self.page.eval_on_selector(selector, "element => getComputedStyle(element).direction")

    def stored_chat(self) -> dict[str, str | None]:
        """What the page keeps on this device: rasa-webchat's `chat_session` in both storages."""
        return self.page.evaluate(
            "() => ({local: localStorage.getItem('chat_session'), session: sessionStorage.getItem('chat_session')})"
        )
