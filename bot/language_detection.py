"""Detects which of our languages a message is written in: script rules first, then lingua."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.text import clean, normalise, word_count

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
PERSIAN_ONLY_LETTERS = re.compile("[پچژگ]")
# Letters Turkish has and none of our other Latin-script languages use.
TURKISH_ONLY_LETTERS = re.compile("[ğĞışŞİ]")
# Words that are the same in every language people write to us, because they are Dutch
# institutions; they say nothing about the language of the sentence around them.
LOANWORDS = frozenset(
    normalise(word)
    for word in (
        "huisarts huisartsen huisartsenpost dokter verzekering zorgverzekering bsn cak ggd ind coa "
        "apotheek ziekenhuis tandarts verloskundige tolk rekening factuur consultatiebureau "
        "verwijsbrief gemeente vreemdelingenpolitie ggz spoedeisende seh zorg digid ok okay"
    ).split()
)
_WORD = re.compile(r"\w+")
_LINGUA_CODES = {
    "DUTCH": "nl",
    "ENGLISH": "en",
    "ARABIC": "ar",
    "FRENCH": "fr",
    "SPANISH": "es",
    "PORTUGUESE": "pt",
    "TURKISH": "tr",
    "PERSIAN": "fa",
}


@dataclass(frozen=True)
class Detection:
    """The language of one message, how sure we are, and how many words it had."""

    language: str | None
    confidence: float
    words: int
    method: str


@lru_cache(maxsize=1)
def _lingua():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA_CODES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def _best(text: str, allowed: set[str]) -> tuple[str | None, float]:
    values = [
        (_LINGUA_CODES[value.language.name], value.value)
        for value in _lingua().compute_language_confidence_values(text)
    ]
    values = [(code, score) for code, score in values if code in allowed]
    total = sum(score for _, score in values)
    if not values or total <= 0:
        return None, 0.0
    code, score = max(values, key=lambda pair: pair[1])
    return code, score / total


def detect(text: str) -> Detection:
    """Detects the language of `text` among the eight we support."""
    text = clean(text)
    words = word_count(text)
    arabic = len(ARABIC_SCRIPT.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return Detection(None, 0.0, words, "none")
    if arabic >= latin:
        if PERSIAN_ONLY_LETTERS.search(text):
            return Detection("fa", 0.99, words, "script")
        code, confidence = _best(text, {"ar", "fa"})
        return Detection(code, confidence, words, "lingua")
    if TURKISH_ONLY_LETTERS.search(text):
        return Detection("tr", 0.99, words, "script")
    content = " ".join(w for w in _WORD.findall(text) if normalise(w) not in LOANWORDS)
    code, confidence = _best(content or text, {"nl", "en", "fr", "es", "pt", "tr"})
    return Detection(code, confidence, words, "lingua")


def warm_up() -> None:
    """Loads the detector's models now rather than on the first message."""
    _lingua()
