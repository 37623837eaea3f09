"""Words of every language mapped to shared concepts, so the intent classifier learns across languages.

The classifier's n-grams are tied to one spelling in one language: "tandarts", "dentist", "dişçi" and
"دندانپزشک" share nothing. `content/concepts/<lang>.yml` lists, per language, the words and phrases
people use for each concept (`dental`, `refuse`, `no_papers`, ...); the words of a message that
match become concept tokens such as `§dental`, which every language's examples teach together.
Matching follows `bot.phrases` (whole words, Arabic glued prefixes, a trailing `*` for a prefix,
`...` for a few words in between).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.phrases import PhraseIndex

FOLDER = ROOT / "content" / "concepts"
TOKEN_PREFIX = "§"


class ConceptMatcher:
    """Finds the concepts in a message's normalised words."""

    def __init__(self, concepts: dict[str, list[str]]) -> None:
        self._index: PhraseIndex[str] = PhraseIndex()
        for concept, phrases in concepts.items():
            for phrase in phrases or []:
                self._index.add(str(phrase), concept)

    @classmethod
    def from_folder(cls, folder: Path = FOLDER) -> ConceptMatcher:
        """Every language's `<lang>.yml` in `folder`, merged by concept."""
        merged: dict[str, list[str]] = {}
        for path in files(folder):
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            for concept, phrases in (data.get("concepts") or {}).items():
                merged.setdefault(str(concept), []).extend(str(p) for p in phrases or [])
        return cls(merged)

    def concepts(self, words: list[str]) -> list[str]:
        """The concepts found in `words` (normalised), each once, in order of first appearance."""
        return list(dict.fromkeys(self._index.find(words)))

    def tokens(self, words: list[str]) -> list[str]:
        """Concept tokens (`§dental`) for the classifier."""
        return [TOKEN_PREFIX + concept for concept in self.concepts(words)]


def files(folder: Path = FOLDER) -> list[Path]:
    """The concept files, in a fixed order (also the training cache's fingerprint)."""
    return sorted(folder.glob("*.yml"))
