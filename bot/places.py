"""Dutch municipalities: finding them in what people type, in any language, and their province."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.paths import content_dir
from bot.text import arabic_stems, normalise

_WORD = re.compile(r"\w+")
MAX_NAME_WORDS = 5
FUZZY_MIN_LENGTH = 8  # shorter names are too often one letter from a word ("geleden", "woorden")
# Words that put a place after them: "in Ede", "à Leiden", "em Goes", "في ليدن", "در اده".
_BEFORE_A_PLACE = frozenset(
    "in im near bij te uit naar from to en a au em no na nos nas de da do du van vers cerca perto "
    "في من الى الي قرب در از به نزدیک نزديك".split()
)
# Turkish case endings written onto a place name: "amsterdamda", "Breda'dan", "utrehtte".
_TURKISH_ENDINGS = ("daki", "deki", "dan", "den", "tan", "ten", "da", "de", "ta", "te", "ya", "ye", "yi", "yu")


@dataclass(frozen=True)
class PlaceMention:
    """A municipality named in a text, with where it stands in the original text."""

    municipality: str
    start: int
    end: int
    text: str


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise(word) for word in _WORD.findall(text))


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) <= 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                   and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _deletions(word: str) -> Iterator[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


class Gazetteer:
    """Every municipality and the other names people use for it."""

    def __init__(self, places_dir: Path) -> None:
        municipalities = yaml.safe_load((places_dir / "municipalities.yml").read_text("utf-8"))
        other = yaml.safe_load((places_dir / "other_names.yml").read_text("utf-8"))
        self.province: dict[str, str] = {
            name: province
            for province, names in municipalities["provinces"].items()
            for name in names
        }
        self._names: dict[tuple[str, ...], str] = {}
        for name in self.province:
            self._names[_words(name)] = name
            short = re.sub(r"\s*\(.*\)$", "", name)  # "Bergen (L)" is also written "Bergen"
            self._names.setdefault(_words(short), name)
        for name, variants in (other.get("other_names") or {}).items():
            for variant in variants or []:
                self._names[_words(variant)] = name
        self._ambiguous = {_words(name) for name in other.get("ambiguous") or []}
        self._fuzzy: dict[str, tuple[str, ...]] = {}
        for key in self._names:
            if len(key) == 1 and len(key[0]) >= FUZZY_MIN_LENGTH:
                for deleted in _deletions(key[0]):
                    self._fuzzy.setdefault(deleted, key)

    def municipality(self, name: str) -> str | None:
        """The municipality `name` stands for, or None."""
        return self._names.get(_words(name))

    def find(self, text: str) -> list[PlaceMention]:
        """Municipalities named in `text`, longest names first, without overlaps."""
        matches = list(_WORD.finditer(text))
        words = [normalise(m.group()) for m in matches]
        found: list[PlaceMention] = []
        i = 0
        while i < len(words):
            hit = self._match_at(words, matches, i)
            if hit:
                length, name = hit
                start, end = matches[i].start(), matches[i + length - 1].end()
                found.append(PlaceMention(name, start, end, text[start:end]))
                i += length
            else:
                i += 1
        return found

    def _match_at(self, words: list[str], matches: list[re.Match], i: int) -> tuple[int, str] | None:
        for length in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            key = tuple(words[i:i + length])
            name = self._names.get(key)
            if name is None and length == 1:
                name = (
                    self._without_arabic_prefix(key[0])
                    or self._without_turkish_ending(key[0])
                    or self._fuzzy_name(key[0])
                )
            if name is None:
                continue
            if key in self._ambiguous and not self._looks_like_a_name(words, matches, i, length):
                continue
            return length, name
        return None

    def _without_arabic_prefix(self, word: str) -> str | None:
        for stem in arabic_stems(word):
            if (stem,) in self._names:
                return self._names[(stem,)]
        return None

    def _without_turkish_ending(self, word: str) -> str | None:
        for ending in _TURKISH_ENDINGS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 4:
                name = self._names.get((stem,)) or self._fuzzy_name(stem)
                if name:
                    return name
        return None

    def _fuzzy_name(self, word: str) -> str | None:
        """A name one typo away (a letter missing, extra, wrong or swapped), same first letter."""
        if len(word) < FUZZY_MIN_LENGTH or not word.isascii() or not word.isalpha():
            return None  # Arabic-script words are short and close to each other: exact names only
        for candidate in (word, *_deletions(word)):
            key = self._fuzzy.get(candidate)
            if key is None and candidate != word and len(candidate) >= FUZZY_MIN_LENGTH and (candidate,) in self._names:
                key = (candidate,)
            if key is not None and key[0][0] == word[0] and _one_edit_apart(key[0], word):
                return self._names[key]
        return None

    @staticmethod
    def _looks_like_a_name(words: list[str], matches: list[re.Match], i: int, length: int) -> bool:
        if len(words) == length:
            return True  # the whole message is the name
        if i > 0 and words[i - 1] in _BEFORE_A_PLACE:
            return True
        first = matches[i].group()
        return i > 0 and first[:1].isupper()


@lru_cache(maxsize=4)
def gazetteer(places_dir: Path | None = None) -> Gazetteer:
    """The gazetteer built from `content/places/` (built once per process)."""
    return Gazetteer(places_dir or _folder())


def files(places_dir: Path | None = None) -> list[Path]:
    """The gazetteer's files, in a fixed order (also the intent classifier's training-cache fingerprint)."""
    return sorted((places_dir or _folder()).glob("*.yml"))


def _folder() -> Path:
    return content_dir() / "places"
