"""Awkward inputs every text component must survive, in every language we ship."""
from __future__ import annotations

AWKWARD_STRINGS = [
    "",
    " ",
    "\n\t",
    "👍",
    "🙏🙏🙏",
    "?",
    "...",
    "\u200f\u200e\u202e\u2066",  # bidi marks and overrides only
    "\u200c\u200d\ufeff",  # zero-width characters only
    "ـــــ",  # tatweel only
    "ً ٌ ٍ",  # tashkeel only
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    "{city} {0} %s {{}}",
    "\x00\x01\x7f",
    "a" * 10_000,
    "huisarts " * 1_500,
    "مرحبا" * 2_000,
    "İIıi ŞşĞğ",
    "Ａｍｓｔｅｒｄａｍ",  # full-width letters
    "112",
    "https://example.org/?q=<b>",
    "hello مرحبا سلام bonjour",  # mixed scripts
]

# One ordinary message per language, for tests that need real text in each.
SAMPLES = {
    "nl": "Heb ik recht op zorg als ik geen verblijfsvergunning heb?",
    "en": "Do I have a right to see a doctor without papers?",
    "ar": "هل يحق لي العلاج عند الطبيب بدون أوراق إقامة؟",
    "fr": "Est-ce que j'ai le droit de voir un médecin sans papiers ?",
    "es": "¿Tengo derecho a ver a un médico sin papeles?",
    "pt": "Eu tenho direito de ir ao médico sem documentos?",
    "tr": "Oturma iznim yoksa doktora gitme hakkım var mı?",
    "fa": "آیا بدون مدارک اقامت حق دارم پیش دکتر بروم؟",
}
