""""Show this to the receptionist" cards: the Dutch text a GP, hospital or pharmacy desk needs, with
the same text in the person's own language under it. As text (every channel), as a PNG image
(messaging apps) and as a printable page.

The card texts are answers like any other (`card_gp`, `card_hospital`, `card_pharmacy` in
`content/<lang>/answers.yml`), so translators edit them in the same file and `make content-check`
checks them.
"""
from __future__ import annotations

import html
import io
import os
from functools import lru_cache
from pathlib import Path

from bot.content.store import Content, content
from bot.languages import FALLBACK, NATIVE_NAMES, RIGHT_TO_LEFT, SUPPORTED

CARDS = ("gp", "hospital", "pharmacy")
RECEPTION_LANGUAGE = "nl"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
WIDTH, MARGIN, LINE_GAP = 1080, 56, 10


def public_url() -> str:
    """Where people's phones reach Rasa (`PUBLIC_URL`), for image and page links."""
    return os.environ.get("PUBLIC_URL", "http://localhost:5005").rstrip("/")


def card_links(card: str, language: str) -> dict:
    """The image and printable-page addresses of a card in `language`."""
    base = f"{public_url()}/webhooks/cards/{card}/{language}"
    return {"image": base + ".png", "page": base + ".html"}


def _messages(source: Content, card: str, language: str) -> list[str]:
    return source.render("card_" + card, language).messages


def _note(source: Content, language: str, name: str) -> str:
    notes = source.languages[language].notes
    return notes.get(name) or source.languages[FALLBACK].notes.get(name, "")


def card_blocks(card: str, language: str, source: Content | None = None) -> dict:
    """The card's parts: the Dutch block and, for other languages, the translated block."""
    source = source or content()
    blocks = {
        "title": _note(source, language, "card_title"),
        "dutch_heading": _note(source, RECEPTION_LANGUAGE, "card_heading"),
        "dutch": _messages(source, card, RECEPTION_LANGUAGE),
        "translation_heading": "",
        "translation": [],
        "language": language,
    }
    if language != RECEPTION_LANGUAGE:
        rendered = source.render("card_" + card, language)
        blocks["translation_heading"] = _note(source, language, "card_translation_heading")
        blocks["translation"] = rendered.messages
        blocks["language"] = rendered.language
    return blocks


def card_text(card: str, language: str, source: Content | None = None) -> str:
    """The card as one text: Dutch block, then the person's language. Blank lines split messages."""
    blocks = card_blocks(card, language, source)
    parts = [blocks["title"], blocks["dutch_heading"] + "\n" + "\n".join(blocks["dutch"])]
    if blocks["translation"]:
        parts.append(blocks["translation_heading"] + "\n" + "\n".join(blocks["translation"]))
    links = card_links(card, language)
    parts.append(_note(source or content(), language, "card_print") + " " + links["page"])
    return "\n\n".join(part.strip() for part in parts if part.strip())


def _font_path(bold: bool = False) -> Path:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{name} not found: install Debian's fonts-dejavu-core (make install does)")


def _wrap(text: str, font, width: int, rtl: bool) -> list[str]:  # type: ignore[no-untyped-def]
    lines, line = [], ""
    direction = "rtl" if rtl else "ltr"
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate, direction=direction) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=64)
def card_png(card: str, language: str) -> bytes:
    """The card as a PNG, with right-to-left scripts shaped and aligned right."""
    return blocks_png(card_blocks(card, language))


def blocks_png(blocks: dict) -> bytes:
    """A PNG of a Dutch block and its translation (the shape `card_blocks` returns)."""
    from PIL import Image, ImageDraw, ImageFont

    regular = ImageFont.truetype(str(_font_path()), 30, layout_engine=ImageFont.Layout.RAQM)
    bold = ImageFont.truetype(str(_font_path(bold=True)), 34, layout_engine=ImageFont.Layout.RAQM)
    small = ImageFont.truetype(str(_font_path(bold=True)), 26, layout_engine=ImageFont.Layout.RAQM)
    rtl = blocks["language"] in RIGHT_TO_LEFT
    inner = WIDTH - 2 * MARGIN
    rows = [(blocks["title"], bold, rtl, "#7a1f1f"), ("", regular, False, None),
            (blocks["dutch_heading"], small, False, "#444444")]
    rows += [(line, regular, False, "#000000")
             for m in blocks["dutch"] for line in _wrap(m, regular, inner, False) + [""]]
    if blocks["translation"]:
        rows += [("—" * 3, small, False, "#999999"), (blocks["translation_heading"], small, rtl, "#444444")]
        rows += [(line, regular, rtl, "#000000")
                 for m in blocks["translation"] for line in _wrap(m, regular, inner, rtl) + [""]]
    line_height = 30 + LINE_GAP + 8
    height = MARGIN * 2 + line_height * len(rows)
    image = Image.new("RGB", (WIDTH, height), "#fffdf5")
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, WIDTH - 9, height - 9], outline="#7a1f1f", width=4)
    y = MARGIN
    for text, font, right_to_left, colour in rows:
        if text:
            if right_to_left:
                draw.text((WIDTH - MARGIN, y), text, font=font, fill=colour, direction="rtl", anchor="ra")
            else:
                draw.text((MARGIN, y), text, font=font, fill=colour, direction="ltr", anchor="la")
        y += line_height
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_html(card: str, language: str) -> str:
    """A printable page of the card (Dutch first, then the person's language)."""
    return blocks_html(card_blocks(card, language), language)


def blocks_html(blocks: dict, language: str) -> str:
    """A printable page of a Dutch block and its translation (the shape `card_blocks` returns)."""
    direction = "rtl" if blocks["language"] in RIGHT_TO_LEFT else "ltr"
    esc = html.escape
    dutch = "".join(f"<p>{esc(m)}</p>" for m in blocks["dutch"])
    translation = ""
    if blocks["translation"]:
        translation = (
            f'<section lang="{esc(blocks["language"])}" dir="{direction}"><h2>{esc(blocks["translation_heading"])}</h2>'
            + "".join(f"<p>{esc(m)}</p>" for m in blocks["translation"]) + "</section>"
        )
    return f"""<!doctype html>
<html lang="{esc(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(blocks["title"])}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #000; }}
.card {{ border: 3px solid #7a1f1f; border-radius: 8px; padding: 1rem 1.5rem; background: #fffdf5; }}
h1 {{ font-size: 1.4rem; color: #7a1f1f; }} h2 {{ font-size: 1rem; color: #444; }}
section + section {{ border-top: 1px solid #999; margin-top: 1rem; }}
@media print {{ button {{ display: none; }} body {{ margin: 0; }} }}
</style></head>
<body><main class="card">
<h1 dir="auto">{esc(blocks["title"])}</h1>
<section lang="nl" dir="ltr"><h2>{esc(blocks["dutch_heading"])}</h2>{dutch}</section>
{translation}
</main>
<p><button onclick="window.print()">🖨 {esc(NATIVE_NAMES.get(language, ""))}</button></p>
</body></html>
"""


def is_card(card: str, language: str) -> bool:
    """Whether `card` and `language` name a card we have."""
    return card in CARDS and language in SUPPORTED
