"""The content of every language, loaded once, and how one answer is rendered."""
from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.languages import FALLBACK, SUPPORTED
from bot.paths import content_dir

RESPONSE_PREFIX = "utter_"
NOT_ANSWERS = {"danger_signs.yml"}  # files in content/<lang>/ that hold something other than answers
MESSAGE_SEPARATOR = "\n\n"  # Rasa's channels send each part between blank lines as its own message


@dataclass
class LanguageContent:
    """One language's file: answers, button titles and notes."""

    language: str
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Rendered:
    """An answer ready to send: its text parts, its buttons, and the language it is really in."""

    messages: list[str]
    buttons: list[dict[str, str]]
    language: str

    def as_response(self) -> dict[str, Any]:
        """The dict Rasa's NLG returns: one text whose blank lines split it into messages."""
        response: dict[str, Any] = {"text": MESSAGE_SEPARATOR.join(self.messages)}
        if self.buttons:
            response["buttons"] = self.buttons
        return response


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Content:
    """Everything under `content/`: the shared catalogue, facts, sources and each language."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Each area of the assistant (knowledge, handoff, refusals...) may keep its own files:
        # content/catalogue.yml plus content/catalogue-<area>.yml, content/<lang>/<area>.yml.
        catalogue = _merge(sorted(folder.glob("catalogue*.yml")))
        self.catalogue: dict[str, dict[str, Any]] = catalogue.get("answers") or {}
        self.button_payloads: dict[str, str] = catalogue.get("buttons") or {}
        # Placeholders an area fills in from code ({organisation}, {contacts}...), each with a comment.
        self.placeholders: dict[str, str] = catalogue.get("placeholders") or {}
        self.facts: dict[str, dict[str, Any]] = _load(folder / "facts.yml").get("facts") or {}
        self.sources: dict[str, dict[str, Any]] = _load(folder / "sources.yml").get("sources") or {}
        self.languages: dict[str, LanguageContent] = {}
        for language in SUPPORTED:
            data = _merge(path for path in sorted((folder / language).glob("*.yml")) if path.name not in NOT_ANSWERS)
            self.languages[language] = LanguageContent(
                language=language,
                answers=data.get("answers") or {},
                buttons=data.get("buttons") or {},
                notes=data.get("notes") or {},
            )

    def answer_id(self, response_name: str) -> str | None:
        """`utter_costs` -> `costs`, if the catalogue has it."""
        if response_name.startswith(RESPONSE_PREFIX) and response_name[len(RESPONSE_PREFIX):] in self.catalogue:
            return response_name[len(RESPONSE_PREFIX):]
        return None

    def fact_values(self) -> dict[str, str]:
        """Placeholder values from facts.yml."""
        return {name: str(fact.get("value", "")) for name, fact in self.facts.items()}

    def render(
        self, answer_id: str, language: str, values: Mapping[str, Any] | None = None
    ) -> Rendered:
        """Renders an answer in `language`; falls back to English, with a note in `language`."""
        wanted = self.languages.get(language) or self.languages[FALLBACK]
        source = wanted if answer_id in wanted.answers else self.languages[FALLBACK]
        placeholders = _KeepUnknown(self.fact_values())
        placeholders.update({k: v for k, v in (values or {}).items() if v is not None})
        messages = [
            _format(message, placeholders) for message in source.answers[answer_id].get("messages") or []
        ]
        if source is not wanted:
            note = wanted.notes.get("answer_not_translated") or source.notes.get("answer_not_translated")
            if note:
                messages.insert(0, note)
        buttons = [
            {
                "title": wanted.buttons.get(button) or self.languages[FALLBACK].buttons.get(button, button),
                "payload": self.button_payloads[button],
            }
            for button in self.catalogue[answer_id].get("buttons") or []
        ]
        return Rendered(messages, buttons, source.language)


def _format(template: str, values: Mapping[str, Any]) -> str:
    # Only the template's own fields are filled; a value that contains braces is never re-read.
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(literal)
        if name is not None:
            parts.append(str(values[name]) if name in values else "{" + name + "}")
    return "".join(parts)


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8")) or {}


def _merge(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """The sections (answers, buttons, notes) of several files; a name defined twice is an error."""
    merged: dict[str, dict[str, Any]] = {}
    for path in paths:
        for section, entries in _load(path).items():
            if not isinstance(entries, dict):
                continue  # e.g. `language: en`, which the folder already says
            target = merged.setdefault(section, {})
            for name in entries or {}:
                if name in target:
                    raise ValueError(f"{path}: {section}.{name} is already defined in another file")
            target.update(entries or {})
    return merged


@lru_cache(maxsize=4)
def content(folder: Path | None = None) -> Content:
    """The project's content, loaded once per process."""
    return Content(folder or content_dir())
