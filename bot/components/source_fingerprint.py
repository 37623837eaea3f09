"""A training-cache key for a custom component: Rasa reuses a cached component unless its
fingerprint changes, and a change to the component's code (or the rules it imports) must count."""
from __future__ import annotations

import hashlib
from pathlib import Path


def source_fingerprint(*modules_files: str) -> str:
    """SHA-256 of the source files, in order (pass each module's `__file__`, read at call time)."""
    return hashlib.sha256(b"".join(Path(path).read_bytes() for path in modules_files)).hexdigest()
