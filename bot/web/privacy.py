"""`GET /privacy?lang=xx`: the full privacy notice in the person's language.

The texts are the `privacy:` section of content/<lang>/privacy.yml (with the retention period
filled in from `RETENTION_DAYS`); every text is escaped, the page runs no script, and its
Content-Security-Policy allows nothing but its own inline style.
"""
from __future__ import annotations

import html
from urllib.parse import urlencode

from aiohttp import web

from bot.languages import DEFAULT, NATIVE_NAMES, RIGHT_TO_LEFT, SUPPORTED
from bot.privacy.notice import privacy_texts
from bot.privacy.retention import retention_days

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STYLE = ("body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem}"
         "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}nav a{margin-inline-end:.6rem}")


def _fill(text: str, texts: dict) -> str:
    return text.replace("{retention_days}", str(retention_days())).replace(
        "{forget_phrase}", str(texts.get("forget_phrase", "")))


def privacy_page(language: str) -> str:
    """The page's HTML in `language`."""
    texts = privacy_texts(language)
    esc = html.escape
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    parts = [f"<h1>{esc(_fill(texts['title'], texts))}</h1>", f"<p>{esc(_fill(texts['intro'], texts))}</p>"]
    for section in texts.get("sections") or []:
        parts.append(f"<h2>{esc(_fill(section['heading'], texts))}</h2>")
        parts += [f"<p>{esc(_fill(paragraph, texts))}</p>" for paragraph in section.get("paragraphs") or []]
    languages = "".join(
        f'<a href="/privacy?{urlencode({"lang": code})}" lang="{code}" hreflang="{code}">{esc(name)}</a>'
        for code, name in NATIVE_NAMES.items()
    )
    return (f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="no-referrer"><title>{esc(texts["title"])}</title>'
            f'<link rel="icon" href="data:,"><style>{STYLE}</style></head><body>'
            f'<nav dir="ltr">{languages}</nav><main>{"".join(parts)}</main>'
            f'<p><a href="/?{urlencode({"lang": language})}">&larr; chat</a></p></body></html>')


def chosen_language(request: web.Request) -> str:
    """`?lang=`, else the browser's first supported language, else the default; 400 if unknown."""
    requested = request.query.get("lang", "")
    if requested:
        if requested not in SUPPORTED:
            raise web.HTTPBadRequest(text="Unknown language. Choose one of: " + ", ".join(SUPPORTED) + ".")
        return requested
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return DEFAULT


async def privacy(request: web.Request) -> web.Response:
    """`GET /privacy`: the privacy notice."""
    return web.Response(text=privacy_page(chosen_language(request)), content_type="text/html", headers=HEADERS)


def setup(app: web.Application) -> None:
    """Adds `/privacy` to the web front."""
    app.router.add_get("/privacy", privacy)
