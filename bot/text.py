"""Text normalisation shared by every text component.

People type the same word many ways: with or without accents, Arabic or Persian letter forms,
tashkeel, tatweel, a zero-width non-joiner or none, a dotted or dotless Turkish i. The classifier,
the city lookup, the language-name lookup and the danger-sign lookup all compare normalised text.
"""
from __future__ import annotations

import re
import unicodedata

# Invisible characters that change nothing a reader sees: zero-width joiners/non-joiners,
# byte-order mark, soft hyphen, bidi marks, embeddings, overrides and isolates.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Control characters except tab and newline.
CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")
TATWEEL = "\u0640"

_LETTERS = str.maketrans(
    {
        "ى": "ي",  # alef maksura -> yeh
        "ی": "ي",  # Persian yeh -> Arabic yeh (keyboards mix them)
        "ې": "ي",
        "ک": "ك",  # Persian keheh -> Arabic kaf
        "ة": "ه",  # teh marbuta -> heh (dialect spelling)
        "ۀ": "ه",
        "ٱ": "ا",
        "ı": "i",  # Turkish dotless i; people type either
        "ß": "ss",
        "œ": "oe",
        "æ": "ae",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SPACES = re.compile(r"\s+")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# Conjunctions, prepositions and the article written together with the next Arabic-script word
# ("بأمستردام" = "in Amsterdam", "والنزيف" = "and the bleeding", Levantine "عالمستشفى" = "to the
# hospital"), longest first.
ARABIC_PREFIXES = ("وبال", "وال", "بال", "فال", "عال", "لل", "ال", "وفي", "وب", "و", "ف", "ب", "ل")


def clean(text: str) -> str:
    """Removes control and invisible bidi characters; keeps everything a reader sees."""
    return _SPACES.sub(" ", INVISIBLE.sub("", CONTROL.sub(" ", text))).strip()


def normalise(text: str) -> str:
    """Folds `text` to the form every lookup and the classifier compare.

    Lower case (Turkish-safe), no accents or tashkeel, one form of alef/yeh/kaf/heh, no tatweel,
    no zero-width characters, ASCII digits, single spaces.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200c", "")  # ZWNJ joins the parts: "می‌خواهم" == "میخواهم"
    text = clean(text).replace(TATWEEL, "")
    text = text.replace("İ", "i").replace("I", "i").casefold()
    # NFD splits accents, hamza and madda off their base letter: أ إ آ -> ا, ؤ -> و, ئ -> ى.
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.translate(_LETTERS).translate(_DIGITS)).strip()


def word_count(text: str) -> int:
    """Counts words (runs of letters or digits), so that emoji and punctuation do not count."""
    return len(re.findall(r"\w+", clean(text)))


def arabic_stems(word: str) -> list[str]:
    """`word` (normalised) without each prefix that may be glued to it; empty outside Arabic script."""
    if not _ARABIC_LETTER.match(word):
        return []
    return [word[len(p):] for p in ARABIC_PREFIXES if word.startswith(p) and len(word) > len(p)]
