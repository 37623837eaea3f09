"""Local fake servers that speak the providers' real APIs and record every call made to them.

Each fake answers like the real service (same paths, authentication, success and error bodies) and
enforces the limits the real service enforces, so a message that is too long or a quick reply with a
title that is too long fails the test as it would fail in production.
"""
from __future__ import annotations

import asyncio
import base64
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.servers import free_port


@dataclass
class Call:
    """One request the assistant made to a provider."""

    method: str  # the API method: sendMessage, Messages.json, me/messages...
    body: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeProvider:
    """An aiohttp server in its own thread; `calls` holds what it received."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._ids = itertools.count(1000)

    def app(self) -> web.Application:
        raise NotImplementedError

    def record(self, method: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append(Call(method, body))

    def calls_of(self, method: str, since: int = 0) -> list[Call]:
        with self._lock:
            return [call for call in self.calls[since:] if call.method == method]

    def mark(self) -> int:
        """A position in `calls`, to look only at what came after it."""
        with self._lock:
            return len(self.calls)

    def wait_for(self, method: str, since: int = 0, count: int = 1, seconds: float = 30) -> list[Call]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            calls = self.calls_of(method, since)
            if len(calls) >= count:
                return calls
            time.sleep(0.05)
        raise TimeoutError(f"{type(self).__name__}: {count} x {method} not received: {self.calls[since:]}")

    def start(self) -> FakeProvider:
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self.app())
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def next_id(self) -> int:
        return next(self._ids)


class FakeTelegram(FakeProvider):
    """The Bot API: `POST /bot<token>/<method>` with a JSON body; `{"ok": ..., "result": ...}` replies."""

    def __init__(self, token: str, username: str = "zorgrecht_test_bot", port: int | None = None) -> None:
        super().__init__(port)
        self.token = token
        self.username = username

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.handle)
        return app

    @staticmethod
    def error(status: int, description: str) -> web.Response:
        return web.json_response({"ok": False, "error_code": status, "description": description}, status=status)

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self.error(401, "Unauthorized")
        method = request.match_info["method"]
        body = await request.json()
        self.record(method, body)
        chat = {"id": int(body.get("chat_id", 0)), "type": "private", "first_name": "Test"}
        message = {"message_id": self.next_id(), "date": int(time.time()), "chat": chat}
        if method == "getMe":
            return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "username": self.username}})
        if method == "setWebhook":
            if not str(body.get("url", "")).startswith("https://"):
                return self.error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            return web.json_response({"ok": True, "result": True, "description": "Webhook was set"})
        if method == "answerCallbackQuery":
            return web.json_response({"ok": True, "result": True})
        if method == "sendMessage":
            text = body.get("text") or ""
            if not text.strip():
                return self.error(400, "Bad Request: message text is empty")
            if len(text.encode("utf-16-le")) // 2 > 4096:
                return self.error(400, "Bad Request: message is too long")
            for row in (body.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if not 1 <= len(button.get("callback_data", "").encode()) <= 64:
                        return self.error(400, "Bad Request: BUTTON_DATA_INVALID")
            return web.json_response({"ok": True, "result": {**message, "text": text}})
        if method == "sendPhoto":
            photo = [{"file_id": "AgAC" + str(self.next_id()), "file_unique_id": "AQAD", "width": 1080, "height": 1350,
                      "file_size": 120000}]
            return web.json_response({"ok": True, "result": {**message, "photo": photo}})
        return self.error(404, "Not Found: method not found")


class FakeTwilio(FakeProvider):
    """`POST /2010-04-01/Accounts/<sid>/Messages.json`, form-encoded, HTTP basic auth (sid, token)."""

    def __init__(self, account_sid: str, auth_token: str, port: int | None = None) -> None:
        super().__init__(port)
        self.account_sid = account_sid
        self.auth_token = auth_token

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.create)
        return app

    @staticmethod
    def error(status: int, code: int, message: str) -> web.Response:
        body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status}
        return web.json_response(body, status=status)

    async def create(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("Authorization") != expected or request.match_info["sid"] != self.account_sid:
            return self.error(401, 20003, "Authenticate")
        form = await request.post()
        body = {"To": form.get("To"), "From": form.get("From"), "Body": form.get("Body"),
                "MediaUrl": form.getall("MediaUrl", [])}
        self.record("Messages.json", body)
        if not body["To"]:
            return self.error(400, 21604, "A 'To' phone number is required.")
        if not body["Body"] and not body["MediaUrl"]:
            return self.error(400, 21602, "Message body is required.")
        if len(body["Body"] or "") > 1600:
            return self.error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        sid = f"SM{self.next_id():032d}"
        resource = {
            "sid": sid, "account_sid": self.account_sid, "to": body["To"], "from": body["From"],
            "body": body["Body"] or "", "status": "queued", "num_media": str(len(body["MediaUrl"])),
            "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        return web.json_response(resource, status=201)


class FakeMessenger(FakeProvider):
    """The Send API: `POST /<version>/me/messages?access_token=...` with a JSON body."""

    def __init__(self, page_access_token: str, version: str = "v21.0", port: int | None = None) -> None:
        super().__init__(port)
        self.page_access_token = page_access_token
        self.version = version
        self.api_url = f"{self.url}/{version}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(f"/{self.version}/me/messages", self.send)
        return app

    @staticmethod
    def error(status: int, code: int, message: str, kind: str = "OAuthException") -> web.Response:
        body = {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}
        return web.json_response(body, status=status)

    async def send(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != self.page_access_token:
            return self.error(400, 190, "Invalid OAuth access token - Cannot parse access token")
        body = await request.json()
        self.record("me/messages", body)
        recipient = (body.get("recipient") or {}).get("id")
        message = body.get("message") or {}
        if not recipient:
            return self.error(400, 100, "(#100) The parameter recipient is required")
        if "text" in message and len(message["text"]) > 2000:
            return self.error(400, 100, "(#100) Length of param message[text] must be less than or equal to 2000")
        replies = message.get("quick_replies") or []
        if len(replies) > 13 or any(len(r.get("title", "")) > 20 for r in replies):
            return self.error(400, 100, "(#100) param message[quick_replies] is invalid")
        return web.json_response({"recipient_id": recipient, "message_id": f"m_{self.next_id()}"})
