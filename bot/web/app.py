"""The web front's aiohttp application. Each area adds its pages through a `setup(app)` function."""
from __future__ import annotations

import importlib
import os

from aiohttp import web

WEB_PORT = int(os.environ.get("WEB_PORT", "8080"))

# Modules with a `setup(app: web.Application) -> None` that adds their routes, in order.
SECTIONS: list[str] = ["bot.web.auth", "bot.handoff.inbox", "bot.insights.staff_page", "bot.web.chat",
                       "bot.web.privacy"]


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app() -> web.Application:
    """The whole web front; every section's routes included."""
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_get("/healthz", health)
    for section in SECTIONS:
        importlib.import_module(section).setup(app)
    return app
