"""Spots danger signs (not breathing, chest pain, heavy bleeding, suicide...) in any of our languages.

The phrases live per language in `content/<lang>/danger_signs.yml`, so that NGO staff can add the
words people really use. A phrase matches as whole words of the normalised text; in Arabic script a
conjunction or preposition glued to a word ("والنزيف", "بالصدر") still matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.languages import SUPPORTED
from bot.paths import content_dir
from bot.text import arabic_stems, normalise

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DangerSign:
    """A danger-sign phrase found in a message."""

    phrase: str
    language: str


class DangerSignMatcher:
    """Matches every language's danger-sign phrases against a message."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        # Phrases indexed by their first word, so a message is checked only against phrases that
        # can start at one of its words.
        self._by_first_word: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for language, language_phrases in phrases.items():
            for phrase in language_phrases:
                words = tuple(_WORD.findall(normalise(phrase)))
                if words:
                    self._by_first_word.setdefault(words[0], []).append((words, phrase, language))

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
        words = _WORD.findall(normalise(text))
        for i, word in enumerate(words):
            for first in _forms(word):
                for phrase_words, phrase, language in self._by_first_word.get(first, ()):
                    n = len(phrase_words)
                    if i + n <= len(words) and all(
                        _same_word(words[i + k], phrase_words[k]) for k in range(1, n)
                    ):
                        return DangerSign(phrase, language)
        return None


def _forms(word: str) -> list[str]:
    """The word, and in Arabic script the word without a glued conjunction or preposition."""
    return [word, *arabic_stems(word)]


def _same_word(word: str, phrase_word: str) -> bool:
    return word == phrase_word or phrase_word in arabic_stems(word)


@lru_cache(maxsize=1)
def matcher() -> DangerSignMatcher:
    """The matcher for the project's content (built once per process)."""
    return DangerSignMatcher.from_content()
