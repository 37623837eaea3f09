"""The letter for the provider: Dutch first, the person's language beside it, in every language."""
from __future__ import annotations

import pytest

from bot.content.store import content
from bot.languages import SUPPORTED
from bot.refusal_letter import letter_blocks, letter_html, letter_png, letter_text


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_letter_has_the_dutch_text_and_the_translation(language):
    text = letter_text(language)
    assert text.index("Geachte zorgverlener") < text.index("/webhooks/letters/refusal/")
    assert "Regeling onverzekerbare vreemdelingen" in text and "000000000" in text
    if language != "nl":
        translation = content().render("refusal_letter", language).messages
        assert all(message in text for message in translation)
        assert letter_blocks(language)["language"] == language


@pytest.mark.parametrize("language", SUPPORTED)
def test_the_letter_renders_as_png_and_as_an_escaped_page(language):
    assert letter_png(language).startswith(b"\x89PNG")
    page = letter_html(language)
    assert "Geachte zorgverlener" in page and "<script" not in page.replace("<script-src", "")
    if language in ("ar", "fa"):
        assert 'dir="rtl"' in page
