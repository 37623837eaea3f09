"""Where the project's files are, so that code finds them from any working directory."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def content_dir() -> Path:
    """The content folder: `ASSISTANT_CONTENT_DIR`, or `content/` in the repository."""
    return Path(os.environ.get("ASSISTANT_CONTENT_DIR") or ROOT / "content")


def var_dir() -> Path:
    """Runtime state (databases, keys): `ASSISTANT_VAR_DIR`, or `var/` in the repository."""
    path = Path(os.environ.get("ASSISTANT_VAR_DIR") or ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path
