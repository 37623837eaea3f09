"""A logging filter that redacts identifiers from every log line of the process it is installed in."""
from __future__ import annotations

import logging

from bot.privacy.redaction import redact


class RedactingFilter(logging.Filter):
    """Replaces the formatted message of a record by its redacted form."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def redact_logs() -> None:
    """Adds the filter to every handler of the root logger (once), so Rasa's own lines are covered too."""
    handlers = logging.getLogger().handlers
    for handler in handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
