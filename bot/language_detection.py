"""Detects which of our languages a message is written in.

1. Dutch place names and Dutch care/admin words are set aside: they are the same in every
   language people write to us (`bot.language_cues`).
2. A message with Arabic-script words is Arabic or Persian (Dutch words mixed in are loanwords);
   which keyboard typed it and words only one of the two uses decide, lingua breaks ties.
3. Otherwise lingua weighs the Latin-script languages, and cues it does not know about shift its
   odds: function words only one language uses, letters only one language uses, Turkish verb
   endings, Arabic in Latin letters (Arabizi) and Persian in Latin letters (Finglish).
Each cue multiplies a language's odds by e**weight, so one cue tips a close call and several
outweigh lingua; `confidence` is the winner's share of the combined odds.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot import language_cues as cues
from bot.places import gazetteer
from bot.text import clean, normalise, word_count

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
# Runs of one script: "الhuisarts" is two words, "c'est" and "3ayez" are one.
_TOKEN = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u200c]+"
    "|[A-Za-z\u00c0-\u024f0-9]+(?:['’][A-Za-z\u00c0-\u024f]+)*"
)
# The start of a long message tells its language; the rest only costs time.
MAX_CHARACTERS = 400
# How much one cue shifts the odds (as a power of e), and the odds every language starts with.
WEIGHT_FUNCTION_WORD = 1.0
WEIGHT_LETTER = 3.0
WEIGHT_LEANING_LETTER = 1.0
WEIGHT_LATIN_ARABIC = 2.0
WEIGHT_KEYBOARD = 2.0
# A Dutch care word in a sentence hints at Dutch a little: everyone uses them, Dutch speakers most.
WEIGHT_DUTCH_LOANWORD = 0.5
FLOOR = 0.02
# lingua does not know Arabic or Persian in Latin letters; their odds start here instead.
LATIN_ARABIC_FLOOR = 0.05
_FRENCH_ELISION = re.compile(r"^(j|c|d|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)'[a-z]{2,}$")
_ENGLISH_CONTRACTION = re.compile(r"^[a-z]+'(t|s|m|re|ve|ll|d)$")
_LATIN_LANGUAGES = ("nl", "en", "fr", "es", "pt", "tr")
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
    # Each language's share of the odds (the three likeliest), for the conversation's stickiness.
    scores: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _lingua():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA_CODES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def lingua_odds(text: str, allowed: tuple[str, ...]) -> dict[str, float]:
    """lingua's confidence for each allowed language, rescaled to sum to one (all 0 if none)."""
    values = {code: 0.0 for code in allowed}
    if text.strip():
        for value in _lingua().compute_language_confidence_values(text):
            code = _LINGUA_CODES[value.language.name]
            if code in values:
                values[code] = value.value
    total = sum(values.values())
    return {code: score / total for code, score in values.items()} if total > 0 else values


def detect(text: str) -> Detection:
    """Detects the language of `text` among the eight we support."""
    text = clean(text)
    words = word_count(text)
    text = text[:MAX_CHARACTERS]
    if not ARABIC_SCRIPT.search(text) and not LATIN_LETTER.search(text):
        return Detection(None, 0.0, words, "none")
    tokens = _TOKEN.findall(cues.DUTCH_CARE_PHRASES.sub(" ", without_places(text)))
    arabic = [token for token in tokens if ARABIC_SCRIPT.search(token)]
    latin = [token for token in tokens if LATIN_LETTER.search(token)]
    content = without_courtesies([token for token in latin if not is_loanword(token)])
    if arabic and len(arabic) >= len(content):
        odds = arabic_or_persian(arabic)
    else:
        odds = latin_script(content or latin, loanwords=[token for token in latin if token not in content])
    language, confidence = _winner(odds)
    return Detection(language, confidence, words, "cues+lingua", likeliest(odds))


def without_places(text: str) -> str:
    """`text` with the Dutch place names blanked out ("i live in Eindhoven" -> "i live in ")."""
    for mention in reversed(gazetteer().find(text)):
        text = text[: mention.start] + " " + text[mention.end :]
    return text


def without_courtesies(words: list[str]) -> list[str]:
    """`words` without Dutch courtesies ("dank je wel"), unless nothing else would be left."""
    remaining = cues.DUTCH_COURTESIES.sub(" ", normalise(" ".join(words))).split()
    if not remaining:
        return words
    return [word for word in words if normalise(word) in remaining]


def is_loanword(token: str) -> bool:
    """A Dutch care/admin word, or one of no language in particular ("ok", "hiv")."""
    word = normalise(token)
    return (
        word in cues.DUTCH_CARE_WORDS
        or word in cues.INTERNATIONAL_WORDS
        or word.isdigit()
        or _with_turkish_ending(word)
    )


def _with_turkish_ending(word: str) -> bool:
    """A Dutch care word with a Turkish case ending ("huisartsta", "politie'ye")."""
    ending = cues.TURKISH_CASE_ENDING.match(word)
    return bool(ending) and ending.group(1).rstrip("'") in cues.DUTCH_CARE_WORDS


def arabic_or_persian(words: list[str]) -> dict[str, float]:
    """Odds of Arabic vs Persian for the Arabic-script `words` of a message."""
    evidence = {"ar": 0.0, "fa": 0.0}
    for word in words:
        if cues.PERSIAN_LETTERS.search(word):
            evidence["fa"] += WEIGHT_KEYBOARD
        if cues.ARABIC_LETTERS.search(word):
            evidence["ar"] += WEIGHT_KEYBOARD
        folded = normalise(word)
        if folded in cues.ARABIC_ONLY_WORDS:
            evidence["ar"] += WEIGHT_FUNCTION_WORD
        if folded in cues.PERSIAN_ONLY_WORDS:
            evidence["fa"] += WEIGHT_FUNCTION_WORD
    return _combine(lingua_odds(" ".join(words), ("ar", "fa")), evidence)


def latin_script(words: list[str], loanwords: list[str] | None = None) -> dict[str, float]:
    """Odds of each language for the Latin-script `words` of a message (`loanwords` set aside)."""
    evidence = latin_evidence(words)
    for loanword in loanwords or []:
        if _with_turkish_ending(normalise(loanword)):
            evidence["tr"] += WEIGHT_FUNCTION_WORD
        else:
            evidence["nl"] += WEIGHT_DUTCH_LOANWORD
    odds = lingua_odds(" ".join(words), _LATIN_LANGUAGES)
    odds.update(ar=LATIN_ARABIC_FLOOR - FLOOR, fa=LATIN_ARABIC_FLOOR - FLOOR)
    return _combine(odds, evidence)


def latin_evidence(words: list[str]) -> dict[str, float]:
    """How far the cues in `words` shift each language's odds (as powers of e)."""
    evidence = dict.fromkeys((*_LATIN_LANGUAGES, "ar", "fa"), 0.0)
    for word in words:
        for letter in word:
            if letter in cues.LETTERS_OF:
                evidence[cues.LETTERS_OF[letter]] += WEIGHT_LETTER
            elif letter in cues.LEANING_LETTERS:
                evidence[cues.LEANING_LETTERS[letter]] += WEIGHT_LEANING_LETTER
        folded = normalise(word)
        for language, function_words in cues.FUNCTION_WORDS.items():
            if folded in function_words:
                evidence[language] += WEIGHT_FUNCTION_WORD
        if _FRENCH_ELISION.match(folded):
            evidence["fr"] += WEIGHT_FUNCTION_WORD
        elif _ENGLISH_CONTRACTION.match(folded):
            evidence["en"] += WEIGHT_FUNCTION_WORD
        if cues.TURKISH_ENDINGS.match(folded):
            evidence["tr"] += WEIGHT_FUNCTION_WORD
        if cues.ARABIZI_DIGIT_WORD.match(folded) or folded in cues.ARABIZI_WORDS:
            evidence["ar"] += WEIGHT_LATIN_ARABIC
        if folded in cues.FINGLISH_WORDS or (cues.FINGLISH_VERB.match(folded) and not _function_word(folded)):
            evidence["fa"] += WEIGHT_LATIN_ARABIC
    text = normalise(" ".join(words))
    for language, phrases in cues.PHRASES_OF.items():
        evidence[language] += WEIGHT_FUNCTION_WORD * len(phrases.findall(text))
    return evidence


def _function_word(word: str) -> bool:
    return any(word in function_words for function_words in cues.FUNCTION_WORDS.values())


def _combine(odds: dict[str, float], evidence: dict[str, float]) -> dict[str, float]:
    return {code: (odds.get(code, 0.0) + FLOOR) * math.exp(evidence.get(code, 0.0)) for code in evidence}


def likeliest(odds: dict[str, float], count: int = 3) -> dict[str, float]:
    """The `count` likeliest languages and their share of the odds, rounded."""
    total = sum(odds.values())
    if total <= 0:
        return {}
    ranked = sorted(odds.items(), key=lambda item: -item[1])[:count]
    return {code: round(value / total, 3) for code, value in ranked}


def _winner(odds: dict[str, float]) -> tuple[str | None, float]:
    total = sum(odds.values())
    if not odds or total <= 0:
        return None, 0.0
    language = max(odds, key=odds.__getitem__)
    return language, odds[language] / total


def warm_up() -> None:
    """Loads the detector's models now rather than on the first message."""
    _lingua()
    gazetteer()
