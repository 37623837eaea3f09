"""The chat page at `/`: the rasa-webchat widget talking to Rasa over socket.io.

Everything the page loads comes from this server: the widget's bundle (`web/node_modules`, installed
by `make web`), our script and stylesheet (`web/chat/`). A strict Content-Security-Policy lets the
page reach only this server and Rasa (`RASA_PUBLIC_URL`), so no request can leave for a CDN.

`?lang=xx` (or the language picker, or the browser's languages) sets the page's language, which the
widget sends to Rasa as `customData.language` with every message (see
`bot.conversation_language`). `?discreet=1` gives a neutral title and keeps the chat only for the
lifetime of the tab. The texts are notes `web_*` in `content/<lang>/web.yml`.
"""
from __future__ import annotations

import html
import json
import os
import re
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from bot.content.store import content
from bot.languages import DEFAULT, FALLBACK, NATIVE_NAMES, RIGHT_TO_LEFT, SUPPORTED
from bot.paths import ROOT

WEB_DIR = ROOT / "web"
WIDGET_BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
OWN_ASSETS = {"chat.js": "text/javascript", "chat.css": "text/css"}
# The widget's CSS imports a font from Google; the page uses the system's fonts instead.
REMOTE_IMPORT = re.compile(r"@import url\(https?://[^)]*\);?")


def rasa_public_url() -> str:
    """Where the browser reaches Rasa's socket.io channel (`RASA_PUBLIC_URL`)."""
    default = f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
    return os.environ.get("RASA_PUBLIC_URL", default).rstrip("/")


def card_origin() -> str:
    """The origin of the card images the bot sends (`PUBLIC_URL`, see `bot.cards`)."""
    from bot.cards import public_url

    return _origin(public_url())


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _websocket_origin(url: str) -> str:
    return _origin(url).replace("https://", "wss://", 1).replace("http://", "ws://", 1)


def content_security_policy() -> str:
    """Scripts and styles from this server only; sockets and images also from Rasa."""
    rasa = _origin(rasa_public_url())
    images = " ".join(sorted({rasa, card_origin()}))
    return (
        "default-src 'none'; script-src 'self'; "
        # The widget injects its stylesheet as <style> elements.
        "style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: {images}; font-src 'self' data:; "
        f"connect-src 'self' {rasa} {_websocket_origin(rasa)}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def page_headers() -> dict[str, str]:
    """Headers of the chat page: no caching (the page may be discreet), no framing, no referrer."""
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def page_texts(language: str) -> dict[str, str]:
    """The page's `web_*` texts in `language`, English where one is missing."""
    languages = content().languages
    fallback = languages[FALLBACK].notes
    notes = languages[language].notes
    return {
        key[len("web_"):]: notes.get(key) or fallback[key]
        for key in fallback
        if key.startswith("web_")
    }


def negotiated_language(accept_language: str) -> str:
    """The first supported language in an Accept-Language header, else the default."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return DEFAULT


def chat_page(language: str, discreet: bool) -> str:
    """The chat page's HTML; every text is escaped, the config is JSON that cannot close its tag."""
    texts = page_texts(language)
    if discreet:  # the page's name appears nowhere, not even in its source
        texts["title"] = texts["neutral_title"]
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    title = texts["title"]
    config = {
        "language": language,
        "direction": direction,
        "discreet": discreet,
        "socketUrl": rasa_public_url(),
        "texts": texts,
    }
    config_json = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    esc = html.escape
    options = "".join(
        f'<option value="{code}" lang="{code}"{" selected" if code == language else ""}>{esc(name)}</option>'
        for code, name in NATIVE_NAMES.items()
    )
    privacy = "/privacy?" + urlencode({"lang": language})
    return f"""<!doctype html>
<html lang="{language}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/chat/chat.css">
</head>
<body class="{"discreet" if discreet else ""}">
<header class="bar">
  <h1 id="page-title">{esc(title)}</h1>
  <form class="controls" method="get" action="/">
    <label for="language">{esc(texts["language"])}</label>
    <select id="language" name="lang">{options}</select>
    <label class="discreet-option" title="{esc(texts["discreet_hint"])}">
      <input type="checkbox" id="discreet" name="discreet" value="1"{" checked" if discreet else ""}
        aria-describedby="discreet-hint">
      {esc(texts["discreet"])}
    </label>
    <noscript><button type="submit">OK</button></noscript>
    <button type="button" id="clear-chat">{esc(texts["clear"])}</button>
  </form>
  <p id="discreet-hint" class="visually-hidden">{esc(texts["discreet_hint"])}</p>
</header>
<p id="status" class="status" role="status" aria-live="polite"></p>
<main id="chat" class="chat" aria-label="{esc(texts["conversation"])}"></main>
<footer class="privacy">
  <p>{esc(texts["privacy_line"])} <a href="{esc(privacy)}">{esc(texts["privacy_link"])}</a></p>
</footer>
<script id="chat-config" type="application/json">{config_json}</script>
<script src="/static/webchat/index.js"></script>
<script src="/static/chat/chat.js"></script>
</body>
</html>
"""


async def index(request: web.Request) -> web.Response:
    """`GET /`: the chat page, in `?lang=`'s language or the browser's."""
    requested = request.query.get("lang", "")
    if requested and requested not in SUPPORTED:
        choices = ", ".join(f"lang={code}" for code in SUPPORTED)
        raise web.HTTPBadRequest(text=f"Unknown language. Choose one of: {choices}.")
    language = requested or negotiated_language(request.headers.get("Accept-Language", ""))
    discreet = request.query.get("discreet", "") in ("1", "on", "true")
    return web.Response(text=chat_page(language, discreet), content_type="text/html", headers=page_headers())


@lru_cache(maxsize=1)
def widget_bundle() -> bytes:
    """rasa-webchat's self-contained bundle, without its remote font import."""
    if not WIDGET_BUNDLE.exists():
        raise FileNotFoundError(f"{WIDGET_BUNDLE} is missing: run `make web`")
    return REMOTE_IMPORT.sub("", WIDGET_BUNDLE.read_text("utf-8")).encode("utf-8")


async def widget_script(_request: web.Request) -> web.Response:
    """`GET /static/webchat/index.js`: the widget."""
    try:
        body = widget_bundle()
    except FileNotFoundError as missing:
        raise web.HTTPServiceUnavailable(text=str(missing)) from None
    # 715 KB that changes only with web/package-lock.json: let phones keep it for a day.
    headers = {**_asset_headers(), "Cache-Control": "public, max-age=86400"}
    return web.Response(body=body, content_type="text/javascript", headers=headers)


async def own_asset(request: web.Request) -> web.Response:
    """`GET /static/chat/<name>`: the page's own script and stylesheet."""
    name = request.match_info["name"]
    if name not in OWN_ASSETS:
        raise web.HTTPNotFound()
    body = (WEB_DIR / "chat" / name).read_bytes()
    return web.Response(body=body, content_type=OWN_ASSETS[name], headers=_asset_headers())


def _asset_headers() -> dict[str, str]:
    return {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


def setup(app: web.Application) -> None:
    """Adds the chat page and its assets."""
    app.router.add_get("/", index)
    app.router.add_get("/static/webchat/index.js", widget_script)
    app.router.add_get("/static/chat/{name}", own_asset)
