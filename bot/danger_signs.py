"""Spots danger signs (not breathing, chest pain, heavy bleeding, suicide...) in any of our languages.

The phrases live per language in `content/<lang>/danger_signs.yml`, so that NGO staff can add the
words people really use. A phrase matches as whole words of the normalised text (`bot.phrases`); in Arabic
script a conjunction or preposition glued to a word ("والنزيف", "بالصدر") still matches, and `...`
lets a few words stand between two ("pain ... chest").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.languages import SUPPORTED
from bot.paths import content_dir
from bot.phrases import PhraseIndex
from bot.text import normalise

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True)
class DangerSign:
    """A danger-sign phrase found in a message."""

    phrase: str
    language: str


class DangerSignMatcher:
    """Matches every language's danger-sign phrases against a message."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        self._index: PhraseIndex[DangerSign] = PhraseIndex()
        for language, language_phrases in phrases.items():
            for phrase in language_phrases:
                self._index.add(phrase, DangerSign(phrase, language), _words)

    @classmethod
    def from_content(cls, folder: Path | None = None) -> DangerSignMatcher:
        """Loads `danger_signs.yml` of every language that has one."""
        folder = folder or content_dir()
        phrases: dict[str, list[str]] = {}
        for language in SUPPORTED:
            path = folder / language / "danger_signs.yml"
            if path.exists():
                data = yaml.safe_load(path.read_text("utf-8")) or {}
                phrases[language] = [str(p) for p in data.get("danger_signs") or []]
        return cls(phrases)

    def find(self, text: str) -> DangerSign | None:
        """The first danger sign in `text`, or None."""
        return next(self._index.find(_words(text)), None)


@lru_cache(maxsize=1)
def matcher() -> DangerSignMatcher:
    """The matcher for the project's content (built once per process)."""
    return DangerSignMatcher.from_content()
