"""Plays scripts against the assistant over REST and checks each step.

Which answer was given is read from the conversation's tracker (Rasa's HTTP API, with the token in
`var/rasa_api_token`): every bot event carries the name of its response in `metadata.utter_action`
(`utter_pharmacy` -> topic `pharmacy`), and the `language` slot is the language it answered in.
We chose this over putting the answer id into the replies' `custom` data: it needs no change to
what users receive on any channel, and it is the same signal Rasa's own tests use. Text matching
is used only for `mentions:`, which is about the words.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from bot.content.store import RESPONSE_PREFIX, Content, content
from bot.staff_scripts.format import Script, ScriptError, Step, button_titles

TIMEOUT_SECONDS = 60


@dataclass
class Check:
    """One expectation of a step and whether it held."""

    expectation: str
    passed: bool
    detail: str = ""


@dataclass
class StepResult:
    step: Step
    replies: list[dict[str, Any]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    language: str | None = None
    checks: list[Check] = field(default_factory=list)
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and all(check.passed for check in self.checks)


@dataclass
class ScriptResult:
    """A script's outcome; `error` is set when the script itself could not be read."""

    path: Any
    topic: str
    language: str
    title: str = ""
    steps: list[StepResult] = field(default_factory=list)
    error: ScriptError | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.error is None and all(step.passed for step in self.steps)


class Assistant:
    """The REST channel and the tracker API of one running Rasa server."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token

    def _request(self, path: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode("utf-8"))

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Sends a message; the replies as the REST channel returns them."""
        return self._request("/webhooks/rest/webhook", {"sender": sender, "message": text}) or []

    def tracker(self, sender: str) -> dict[str, Any]:
        query = urllib.parse.urlencode({"token": self.token, "include_events": "ALL"})
        return self._request(f"/conversations/{urllib.parse.quote(sender, safe='')}/tracker?{query}")

    def is_up(self) -> bool:
        try:
            self._request(f"/status?{urllib.parse.urlencode({'token': self.token})}")
            return True
        except (OSError, ValueError):
            return False


def answers_of_last_turn(tracker: dict[str, Any], source: Content) -> list[str]:
    """The answer ids the assistant gave after the latest user message."""
    events = tracker.get("events") or []
    last_user = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=-1)
    answered = []
    for event in events[last_user + 1:]:
        if event.get("event") == "bot":
            action = str((event.get("metadata") or {}).get("utter_action") or "")
            answered.append(source.answer_id(action) or action.removeprefix(RESPONSE_PREFIX) or "(text)")
    return answered


def check_step(step: Step, replies: list[dict[str, Any]], answered: list[str], language: str | None,
               source: Content | None = None) -> list[Check]:
    """Each expectation of `step` against what came back (pure: tested without a server)."""
    source = source or content()
    checks = []
    for topic in step.answers:
        got = ", ".join(answered) or "nothing"
        checks.append(Check(f"answers: {topic}", topic in answered, f"got: {got}"))
    text = "\n".join(str(reply.get("text") or "") for reply in replies).casefold()
    for word in step.mentions:
        checks.append(Check(f"mentions: {word}", word.casefold() in text,
                            "" if word.casefold() in text else "not in the replies"))
    if step.language:
        checks.append(Check(f"language: {step.language}", language == step.language,
                            f"the assistant answered in {language or 'no language'}"))
    buttons = [button for reply in replies for button in reply.get("buttons") or []]
    titles = button_titles(source)
    for offer in step.offers:
        wanted = offer.casefold()
        payloads = {source.button_payloads[b] for b, names in titles.items()
                    if wanted in names and b in source.button_payloads}
        found = any(str(b.get("title", "")).casefold() == wanted or b.get("payload") in payloads for b in buttons)
        shown = ", ".join(str(b.get("title")) for b in buttons) or "no buttons"
        checks.append(Check(f"offers: {offer}", found, f"buttons shown: {shown}"))
    return checks


def run_script(script: Script, assistant: Assistant, source: Content | None = None) -> ScriptResult:
    """Plays one script in a new conversation."""
    source = source or content()
    started = time.monotonic()
    sender = f"staff-script-{uuid.uuid4().hex}"
    result = ScriptResult(script.path, script.topic, script.language, script.title)
    for step in script.steps:
        outcome = StepResult(step)
        try:
            outcome.replies = assistant.say(sender, step.user)
            tracker = assistant.tracker(sender)
            outcome.answered = answers_of_last_turn(tracker, source)
            outcome.language = (tracker.get("slots") or {}).get("language")
            outcome.checks = check_step(step, outcome.replies, outcome.answered, outcome.language, source)
        except (OSError, ValueError) as error:  # server down, timeout, not JSON
            outcome.error = f"the assistant did not answer: {error}"
        result.steps.append(outcome)
    result.seconds = time.monotonic() - started
    return result
