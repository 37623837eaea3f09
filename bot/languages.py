"""The languages the assistant speaks, and how people name them."""
from __future__ import annotations

from bot.text import normalise

SUPPORTED: tuple[str, ...] = ("nl", "en", "ar", "fr", "es", "pt", "tr", "fa")
RIGHT_TO_LEFT: tuple[str, ...] = ("ar", "fa")
DEFAULT = "nl"
# A language without an answer yet falls back to this one (with a one-line note).
FALLBACK = "en"

# The name of each language in itself, for pickers and buttons.
NATIVE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "tr": "Türkçe",
    "fa": "فارسی",
}

# How people write each language's name, in the eight languages (compared after bot.text.normalise,
# so case, accents and Arabic/Persian letter variants do not matter).
_NAMES = {
    "nl": "nederlands dutch neerlandais hollandais holandes neerlandes hollandaca felemenkce hollandisch "
    "nederlandse hollands vlaams هولندي هولنديه الهولنديه هلندي هلندی هلندیه nederlandca",
    "en": "engels english anglais ingles inglese ingilizce انجليزي انجليزيه الانجليزيه انكليزي انگلیسی "
    "انگليسي engelse inglesa engels",
    "ar": "arabisch arabic arabe arapca عربي عربيه العربيه عربى عربی arabische",
    "fr": "frans french francais frances francesa fransizca فرنسي فرنسيه الفرنسيه فرانسوی فرانسه franse",
    "es": "spaans spanish espagnol espanol castellano espanhol ispanyolca اسباني اسبانيه الاسبانيه "
    "اسپانیایی اسپانيايي spaanse",
    "pt": "portugees portuguese portugais portugues portuguesa portekizce برتغالي برتغاليه البرتغاليه "
    "پرتغالی پرتغالي portugese",
    "tr": "turks turkish turc turco turca turkce تركي تركيه التركيه ترکی تركی ترکي turkse",
    "fa": "perzisch farsi persian persan persa farsca فارسي فارسی الفارسيه الفارسية فارسى dari دری دري perzische",
}
LANGUAGE_NAMES: dict[str, str] = {
    normalise(name): code for code, names in _NAMES.items() for name in names.split()
}
