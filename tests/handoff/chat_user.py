"""A person in the web chat: a real socket.io client talking to Rasa, as the widget does."""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

import socketio


class ChatUser:
    """Connects to Rasa's socket.io channel with a persistent session and collects the bot's messages."""

    def __init__(self, rasa_url: str, language: str) -> None:
        self.session_id = uuid.uuid4().hex
        self.language = language
        self.received: list[dict] = []
        self._changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        confirmed = threading.Event()
        self.client.on("session_confirm", lambda _data: confirmed.set())
        self.client.on("bot_uttered", self._on_bot)
        self.client.connect(rasa_url, transports=["polling"], socketio_path="socket.io")
        self.client.emit("session_request", {"session_id": self.session_id})
        assert confirmed.wait(30), "no session_confirm from Rasa"

    def _on_bot(self, data: dict) -> None:
        with self._changed:
            self.received.append(data)
            self._changed.notify_all()

    def say(self, text: str) -> int:
        """Sends a message; returns how many bot messages had arrived before it."""
        before = len(self.received)
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id,
                                          "customData": {"language": self.language}})
        return before

    def wait_for(self, found: Callable[[str], bool], since: int = 0, seconds: float = 60) -> dict:
        """The first bot message after index `since` whose text satisfies `found`."""
        deadline = time.time() + seconds
        with self._changed:
            while True:
                for message in self.received[since:]:
                    if found(message.get("text") or ""):
                        return message
                left = deadline - time.time()
                if left <= 0:
                    texts = [m.get("text") for m in self.received[since:]]
                    raise AssertionError(f"no such bot message within {seconds}s; got {texts}")
                self._changed.wait(left)

    def ask(self, text: str, expected: str, seconds: float = 60) -> dict:
        """Says `text` and waits for a bot message containing `expected`."""
        return self.wait_for(lambda received: expected in received, self.say(text), seconds)

    def quiet_for(self, seconds: float, since: int) -> bool:
        """Whether no bot message arrived after `since` for `seconds`."""
        time.sleep(seconds)
        return len(self.received) == since

    def close(self) -> None:
        self.client.disconnect()
