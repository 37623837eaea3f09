"""Redacts identifiers from text before anything is stored: phone numbers, e-mail addresses, BSNs,
V-numbers, IBANs, dates (of birth), street addresses and postcodes.

Each identifier becomes a tag such as `[phone]`, so a stored conversation still reads naturally
("my number is [phone]") but names nobody. Public numbers the assistant itself gives (112, the
helpdesk's phone and e-mail, the BSN placeholder 000000000) are kept. Patterns err on the side of
redacting: an appointment date is redacted like a date of birth.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Keys of a serialised Rasa event whose values are names the assistant chose, never user text.
STRUCTURAL_KEYS = frozenset({
    "event", "name", "policy", "timestamp", "input_channel", "message_id", "intent_name",
    "action_name", "entity", "extractor", "type_name", "language",
})

_NOT_WORD_BEFORE = r"(?<![\w@+/.-])"
_NOT_WORD_AFTER = r"(?![\w@])"
_SEP = r"[ \t.\-/]?"

MONTHS = (
    # nl, en, fr, es, pt, tr (full names and common abbreviations)
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october|mar|oct|"
    "janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    "ocak|şubat|subat|mart|nisan|mayıs|mayis|haziran|temmuz|ağustos|agustos|eylül|eylul|ekim|kasım|kasim|aralık|aralik|"
    # ar (Gregorian and Levantine names), fa
    "يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|"
    "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول|"
    "ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر|"
    "فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند"
)

STREET_SUFFIXES = (
    "straat|str|laan|weg|plein|gracht|kade|singel|dijk|pad|steeg|hof|park|dreef|markt|plantsoen|"
    "wal|baan|veld|burgwal|kanaal|boulevard|allee|erf|haven|ring|zijde|poort|brug|dam|hoek|"
    "straatweg|kwartier|oord|dreef|plaats|staete|stede|vaart|wetering|gouw|akker|weide|berg"
)
STREET_PREFIXES = "laan|plein|weg|kade|straat|burgemeester|prins|prinses|koningin|koning|sint|van|de|den|der"
# Words before an address in the eight languages ("my address is ...", "I live at ...").
ADDRESS_WORDS = (
    "adres|address|adresse|dirección|direccion|endereço|endereco|adresim|adresimiz|"
    "عنوان|عنواني|آدرس|آدرسم|woon op|woon aan|live at|j'habite au|vivo en la|moro na"
)


@dataclass(frozen=True)
class Rule:
    """One kind of identifier: its tag and its pattern (and an optional check of a match)."""

    tag: str
    pattern: re.Pattern[str]
    valid: Any = None  # callable(match_text) -> bool, for checksums


def _digits(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdigit())


def is_bsn(text: str) -> bool:
    """The "11-test" of a Dutch citizen service number (BSN): 9 digits, weighted sum divisible by 11."""
    digits = _digits(text)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def is_iban(text: str) -> bool:
    """The ISO 13616 mod-97 check of an IBAN."""
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _rules() -> list[Rule]:
    flags = re.IGNORECASE | re.UNICODE
    d = r"\d"
    return [
        Rule("[e-mail]", re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", flags)),
        # Dutch IBANs by their shape (a typo in one still names a person), others by their checksum.
        Rule("[IBAN]", re.compile(_NOT_WORD_BEFORE + r"NL ?\d{2} ?[A-Z]{4}(?: ?\d){10}" + _NOT_WORD_AFTER, flags)),
        Rule("[IBAN]", re.compile(_NOT_WORD_BEFORE + r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"
                                  + _NOT_WORD_AFTER, flags), is_iban),
        # Dates with a year: 12-03-1985, 12/3/85 is too ambiguous, 1985-03-12, 12 maart 1985, March 12, 1985.
        Rule("[date]", re.compile(
            _NOT_WORD_BEFORE + rf"(?:0?[1-9]|[12]{d}|3[01])[-./ ](?:0?[1-9]|1[0-2])[-./ ](?:19|20|13|14){d}{{2}}"
            + _NOT_WORD_AFTER, flags)),
        Rule("[date]", re.compile(
            _NOT_WORD_BEFORE + rf"(?:19|20){d}{{2}}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]{d}|3[01])"
            + _NOT_WORD_AFTER, flags)),
        Rule("[date]", re.compile(
            _NOT_WORD_BEFORE + rf"(?:0?[1-9]|[12]{d}|3[01])\.?(?:st|nd|rd|th|er|º|°)?\s+(?:de\s+)?(?:{MONTHS})\.?"
            rf"(?:\s+de)?,?\s+(?:19|20|13|14){d}{{2}}" + _NOT_WORD_AFTER, flags)),
        Rule("[date]", re.compile(
            rf"(?<!\w)(?:{MONTHS})\.?\s+(?:0?[1-9]|[12]{d}|3[01])(?:st|nd|rd|th)?,?\s+(?:19|20){d}{{2}}"
            + _NOT_WORD_AFTER, flags)),
        # V-number (vreemdelingennummer): 10 digits, or any number right after the word.
        Rule("[V-number]", re.compile(
            r"(?:v[- ]?(?:nummer|number|nr|no|numéro|número|numara)\.?:?\s*|vreemdelingennummer:?\s*)"
            r"((?:\d[ .]?){5,9}\d)", flags)),
        # Phone numbers: international (+31 6 1234 5678, 0032 ...), Dutch (06-12345678, 020 123 4567).
        Rule("[phone]", re.compile(
            r"(?<![\w+])(?:\+|00)[1-9](?:[ \t.\-/()]{0,2}\d){7,14}" + _NOT_WORD_AFTER, flags)),
        Rule("[phone]", re.compile(
            _NOT_WORD_BEFORE + r"\(?[0٠۰]\)?[1-9١-٩۱-۹](?:[ \t.\-/()]{0,2}\d){8}" + _NOT_WORD_AFTER, flags)),
        # BSN: 9 digits (in groups of 3 or 2-3-4 with dots or spaces) that pass the 11-test.
        Rule("[BSN]", re.compile(_NOT_WORD_BEFORE + r"\d{3}[ .]?\d{2}[ .]?\d{4}|\d{3}[ .]\d{3}[ .]\d{3}"
                                 + _NOT_WORD_AFTER, flags), is_bsn),
        Rule("[V-number]", re.compile(_NOT_WORD_BEFORE + r"\d{10}" + _NOT_WORD_AFTER, flags)),
        # Street addresses: Kalverstraat 12, Van Woustraat 12-2, Laan van Meerdervoort 100a, Prinsengracht 263 hs.
        Rule("[address]", re.compile(
            rf"(?<!\w)(?:(?:{STREET_PREFIXES})\s+)*[\w'’-]*(?:{STREET_SUFFIXES})\s+\d{{1,4}}"
            r"(?:\s?[a-z]{1,2}\b|[-/ ]\d{1,3})?"
            + _NOT_WORD_AFTER, flags)),
        Rule("[address]", re.compile(
            r"(?<!\w)(?:laan|plein|weg|kade|straat|dijk)\s+(?:van|der|de|den|op|het|'t)\s+[\w'’-]+(?:\s+[\w'’-]+)?"
            r"\s+\d{1,4}[a-z]?" + _NOT_WORD_AFTER, flags)),
        Rule("[address]", re.compile(
            # After "address"/"I live at": a name (capitalised, or in Arabic script) and a house number.
            rf"(?<!\w)(?:{ADDRESS_WORDS})(?!\w)\s*(?:is|est|es|é|:)?\s*((?-i:[A-Z\u0600-\u06ff])[\w'’-]*\s+"
            rf"(?:[^\W\d][\w'’-]*\s+){{0,3}}\d{{1,4}}[a-z]?)"
            + _NOT_WORD_AFTER, flags)),
        # Postcode: 1234 AB (capitals) or 1234ab.
        Rule("[postcode]", re.compile(
            _NOT_WORD_BEFORE + r"[1-9]\d{3} ?[A-Z]{2}(?![\w@])|" + _NOT_WORD_BEFORE + r"[1-9]\d{3}[a-zA-Z]{2}"
            + _NOT_WORD_AFTER)),
    ]


@lru_cache(maxsize=1)
def rules() -> list[Rule]:
    """The redaction rules, compiled once, in the order they are applied."""
    return _rules()


@lru_cache(maxsize=1)
def kept_values() -> frozenset[str]:
    """Public numbers and addresses the assistant gives itself (content/facts.yml): never redacted."""
    try:
        from bot.content.store import content

        values = set(content().fact_values().values())
    except Exception:  # noqa: BLE001 - redaction must work even without readable content
        values = set()
    return frozenset(v for v in values | {"112", "000000000"} if v)


def _replace(rule: Rule, text: str, found: list[str] | None) -> str:
    def substitute(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole.strip() in kept_values() or (rule.valid and not rule.valid(whole)):
            return whole
        if rule.valid is is_bsn and _digits(whole) == "000000000":
            return whole
        if found is not None:
            found.append(rule.tag)
        if match.re.groups and match.group(1):  # only the captured part is the identifier
            start, end = match.span(1)
            offset = match.start()
            return whole[: start - offset] + rule.tag + whole[end - offset:]
        return rule.tag

    return rule.pattern.sub(substitute, text)


def redact(text: str, found: list[str] | None = None) -> str:
    """`text` with every identifier replaced by its tag; the tags are appended to `found`."""
    if not text or not any(c.isdigit() or c == "@" for c in text):
        return text  # every identifier has a digit or an @
    for rule in rules():
        text = _replace(rule, text, found)
    return text


def redact_value(value: Any, key: str | None = None) -> Any:
    """A copy of a JSON-like value (an event as a dict) with every user-written string redacted."""
    if key in STRUCTURAL_KEYS:
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    return value


def kinds(texts: Iterable[str]) -> dict[str, int]:
    """How many identifiers of each kind the texts hold (for reports and measurements)."""
    counts: dict[str, int] = {}
    for text in texts:
        found: list[str] = []
        redact(text, found)
        for tag in found:
            counts[tag] = counts.get(tag, 0) + 1
    return counts
