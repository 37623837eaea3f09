"""The action server: rasa-sdk's Sanic app, but every call must carry our token.

rasa-sdk 3.6.2 has no authentication. Rasa sends `Authorization: Bearer <token>` with every action
call (the `headers:` of `action_endpoint`, written into the runtime endpoints file by bot/serve.py),
and this app refuses `/webhook` and `/actions` without it (401, JSON error). `/health` stays open.
No CORS headers: browsers have no business calling the action server.
"""
from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})


def bearer_token(request: Request) -> str:
    """The token of an `Authorization: Bearer <token>` header, or ""."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def create_action_server(token: str, actions_package: str = "actions") -> Sanic:
    """rasa-sdk's app for `actions_package`, refusing calls without `token`."""
    if not token:
        raise ValueError("the action server needs a token")
    app = create_app(actions_package, cors_origins=[])

    @app.middleware("request")
    async def require_token(request: Request) -> response.HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not hmac.compare_digest(bearer_token(request).encode(), token.encode()):
            logger.warning("Refused an action server call without a valid token (%s %s)", request.method, request.path)
            return response.json({"error": "missing or wrong token"}, status=401)
        return None

    return app
