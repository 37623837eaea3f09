""""Show this to the receptionist" cards: text, PNG (checked with OCR) and printable page."""
import io
import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageFont, features

from bot.cards import CARDS, _font_path, card_blocks, card_html, card_png, card_text
from bot.content.store import content
from bot.languages import RIGHT_TO_LEFT, SUPPORTED
from bot.text import normalise

C = content()


def words(text):
    return re.findall(r"\w+", normalise(text))


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("card", CARDS)
def test_card_has_the_dutch_text_and_the_users_language(card, language):
    blocks = card_blocks(card, language)
    assert blocks["dutch"] == C.render("card_" + card, "nl").messages
    text = card_text(card, language)
    for message in blocks["dutch"]:
        assert message in text
    if language != "nl":
        assert blocks["language"] == language, "card not translated"
        for message in blocks["translation"]:
            assert message in text


@pytest.mark.parametrize("card", CARDS)
def test_card_names_the_scheme_and_the_cak(card):
    dutch = " ".join(card_blocks(card, "nl")["dutch"])
    assert "Regeling onverzekerbare vreemdelingen" in dutch and "CAK" in dutch


def test_gp_card_carries_the_bsn_placeholder():
    assert "000000000" in " ".join(card_blocks("gp", "en")["dutch"])


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("card", CARDS)
def test_card_png_renders(card, language):
    image = Image.open(io.BytesIO(card_png(card, language)))
    assert image.format == "PNG" and image.width == 1080 and image.height > 600


def test_right_to_left_text_is_shaped_by_raqm():
    assert features.check("raqm")
    shaped = ImageFont.truetype(str(_font_path()), 30, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(str(_font_path()), 30, layout_engine=ImageFont.Layout.BASIC)
    # Joined Arabic letters are narrower than the same letters in isolated forms.
    assert shaped.getlength("سلام", direction="rtl") < basic.getlength("سلام")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is installed by `make install`")
@pytest.mark.parametrize("language", SUPPORTED)
def test_dutch_text_in_the_image_matches_the_text_version(language, tmp_path):
    png = tmp_path / "card.png"
    png.write_bytes(card_png("gp", language))
    ocr = subprocess.run(["tesseract", str(png), "-", "-l", "nld"], capture_output=True, text=True, check=True).stdout
    seen = set(words(ocr))
    expected = [w for m in card_blocks("gp", language)["dutch"] for w in words(m)]
    found = sum(1 for w in expected if w in seen)
    assert found / len(expected) >= 0.9, (found, len(expected), ocr[:500])


@pytest.mark.parametrize("language", SUPPORTED)
def test_printable_page_has_language_and_direction(language):
    page = card_html("pharmacy", language)
    assert '<section lang="nl" dir="ltr">' in page
    if language in RIGHT_TO_LEFT:
        assert f'lang="{language}" dir="rtl"' in page
    assert "<script" not in page.lower()


def test_printable_page_escapes_content(monkeypatch):
    blocks = card_blocks("gp", "en")
    blocks["dutch"] = ["<img src=x onerror=alert(1)>"]
    monkeypatch.setattr("bot.cards.card_blocks", lambda card, language: blocks)
    assert "<img src=x" not in card_html("gp", "en")
