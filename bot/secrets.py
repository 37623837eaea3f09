"""Secrets generated at first run and kept in `var/` (mode 0600), never in the repository."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.paths import var_dir


def secret(name: str, env: str | None = None) -> str:
    """The secret `name`: from the environment variable `env` if set, else from `var/<name>`."""
    if env and os.environ.get(env):
        return os.environ[env]
    path: Path = var_dir() / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            # Hex, not url-safe base64: a token starting with "-" would be read as an option by `rasa run`.
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def rasa_api_token() -> str:
    """Token for Rasa's HTTP API (`RASA_API_TOKEN`, or generated in `var/rasa_api_token`)."""
    return secret("rasa_api_token", "RASA_API_TOKEN")


def action_server_token() -> str:
    """Token Rasa sends to the action server (`ACTION_SERVER_TOKEN`, or generated in `var/action_server_token`)."""
    return secret("action_server_token", "ACTION_SERVER_TOKEN")
