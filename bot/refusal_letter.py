"""A short, polite letter to a care provider after a refusal: Dutch, with the person's language beside it.

Its words are the answer `refusal_letter` in content/<lang>/refusal.yml (facts from
content/facts.yml: the scheme's name, BSN 000000000). It is sent as text, as a PNG image and as a
printable page, drawn exactly like the receptionist cards (`bot.cards.blocks_png`/`blocks_html`),
and served at `/webhooks/letters/refusal/<lang>.png|.html` (bot/channels/letters.py).
"""
from __future__ import annotations

from functools import lru_cache

from bot.cards import RECEPTION_LANGUAGE, blocks_html, blocks_png, public_url
from bot.content.store import Content, content
from bot.languages import FALLBACK, SUPPORTED

ANSWER = "refusal_letter"


def letter_links(language: str) -> dict:
    """The image and printable-page addresses of the letter in `language`."""
    base = f"{public_url()}/webhooks/letters/refusal/{language}"
    return {"image": base + ".png", "page": base + ".html"}


def _note(source: Content, language: str, name: str) -> str:
    notes = source.languages[language].notes
    return notes.get(name) or source.languages[FALLBACK].notes.get(name, "")


def letter_blocks(language: str, source: Content | None = None) -> dict:
    """The letter's parts, in the shape of `bot.cards.card_blocks`."""
    source = source or content()
    blocks = {
        "title": _note(source, language, "letter_title"),
        "dutch_heading": _note(source, RECEPTION_LANGUAGE, "letter_heading"),
        "dutch": source.render(ANSWER, RECEPTION_LANGUAGE).messages,
        "translation_heading": "",
        "translation": [],
        "language": language,
    }
    if language != RECEPTION_LANGUAGE:
        rendered = source.render(ANSWER, language)
        blocks["translation_heading"] = _note(source, language, "letter_translation_heading")
        blocks["translation"] = rendered.messages
        blocks["language"] = rendered.language
    return blocks


def letter_text(language: str, source: Content | None = None) -> str:
    """The letter as one text: the Dutch letter, then the person's language, then the print link."""
    source = source or content()
    blocks = letter_blocks(language, source)
    parts = [blocks["title"], blocks["dutch_heading"] + "\n" + "\n".join(blocks["dutch"])]
    if blocks["translation"]:
        parts.append(blocks["translation_heading"] + "\n" + "\n".join(blocks["translation"]))
    parts.append(_note(source, language, "letter_print") + " " + letter_links(language)["page"])
    return "\n\n".join(part.strip() for part in parts if part.strip())


@lru_cache(maxsize=16)
def letter_png(language: str) -> bytes:
    """The letter as a PNG (Arabic and Farsi shaped and right-to-left)."""
    return blocks_png(letter_blocks(language))


def letter_html(language: str) -> str:
    """A printable page of the letter."""
    return blocks_html(letter_blocks(language), language)


def is_letter_language(language: str) -> bool:
    return language in SUPPORTED
