"""Finds listed phrases in a message's normalised words: the one matching rule that danger signs and
concepts share.

A phrase matches whole words, in order, also when a letter is stretched for emphasis ("pleaseee",
"سلاااام"). In Arabic script a word still matches with a conjunction or preposition glued to it
("والنزيف", "بالمستشفى"). A phrase written with a trailing `*` takes its last
word as a prefix (`vaccin*` matches "vaccinatie"). `...` between two words lets up to three other
words stand between them: "pain ... chest" matches "pain in my chest" and "pain in the chest".
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from bot.text import arabic_stems, normalise

Value = TypeVar("Value")
GAP = "..."
MAX_GAP_WORDS = 3
_STRETCHED = re.compile(r"(.)\1{2,}")
MIN_STRETCHED_LETTERS = 3


def word_forms(word: str) -> list[str]:
    """The word, the word with a letter stretched for emphasis ("سلاااام", "helppp") cut back to one
    and to two, and each of these in Arabic script without a glued conjunction or preposition."""
    words = [word]
    once = _STRETCHED.sub(r"\1", word)
    # Only a word that keeps three letters when cut back: "kkkk" or "zzz" is noise, not a stretched "kk".
    if once != word and len(once) >= MIN_STRETCHED_LETTERS:
        words += [once, _STRETCHED.sub(r"\1\1", word)]
    return list(dict.fromkeys(form for each in words for form in (each, *arabic_stems(each))))


def _split_words(text: str) -> list[str]:
    return normalise(text).split()


def _parse(phrase: str, split: Callable[[str], list[str]]) -> tuple[tuple[str, ...], bool]:
    """The phrase's words as `split` makes them, with `GAP` where it has `...`, and whether its last
    word is a prefix (a trailing `*`)."""
    phrase = phrase.strip()
    words: list[str] = []
    for part in phrase.rstrip("*").split(GAP):
        part_words = split(part)
        if part_words and words and words[-1] != GAP:
            words.append(GAP)
        words.extend(part_words)
    return tuple(words), phrase.endswith("*")


class PhraseIndex(Generic[Value]):
    """Phrases, each with a value, indexed so a message is checked only against phrases that can
    start at one of its words."""

    def __init__(self) -> None:
        self._by_first_word: dict[str, list[tuple[tuple[str, ...], bool, Value]]] = {}
        # One-word prefix phrases, found by looking up each beginning of a word up to the longest.
        self._prefixes: dict[str, list[Value]] = {}
        self._longest_prefix = 0

    def add(self, phrase: str, value: Value, split: Callable[[str], list[str]] = _split_words) -> None:
        """Adds `phrase`, normalised and cut into words by `split`."""
        words, prefix = _parse(phrase, split)
        if not words:
            return
        if prefix and len(words) == 1:
            self._prefixes.setdefault(words[0], []).append(value)
            self._longest_prefix = max(self._longest_prefix, len(words[0]))
        else:
            self._by_first_word.setdefault(words[0], []).append((words, prefix, value))

    def find(self, words: list[str]) -> Iterator[Value]:
        """The values of the phrases in `words` (normalised), in the order they start."""
        forms = [word_forms(word) for word in words]
        for start, first_forms in enumerate(forms):
            for form in first_forms:
                for words_of_phrase, prefix, value in self._by_first_word.get(form, ()):
                    if _matches_from(words_of_phrase[1:], prefix, forms, start + 1):
                        yield value
                for end in range(1, min(len(form), self._longest_prefix) + 1):
                    yield from self._prefixes.get(form[:end], ())


def _matches_from(rest: tuple[str, ...], prefix: bool, forms: list[list[str]], position: int) -> bool:
    """Whether the phrase's remaining words `rest` match the message's words from `position` on."""
    if not rest:
        return True
    expected, after = rest[0], rest[1:]
    if expected == GAP:
        return any(_matches_from(after, prefix, forms, position + skipped) for skipped in range(MAX_GAP_WORDS + 1))
    if position >= len(forms):
        return False
    if prefix and not after:
        found = any(form.startswith(expected) for form in forms[position])
    else:
        found = expected in forms[position]
    return found and _matches_from(after, prefix, forms, position + 1)
