"""Starts a Rasa server and an action server on free ports when no assistant is running.

Their state (conversations, figures, token) goes to a temporary folder, so scripts never touch `var/`.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.local_servers import MODEL, running_servers


@contextmanager
def started_assistant(model: Path = MODEL) -> Iterator[tuple[str, str]]:
    """(Rasa URL, API token) of a fresh pair of servers; stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="staff-scripts-") as folder:
        with running_servers(Path(folder), model, web=False) as servers:
            yield servers.rasa, servers.token
