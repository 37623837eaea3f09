"""Pseudonymous sender ids: no phone number (or other provider id) is stored in clear.

Messaging apps identify a person by a phone number (WhatsApp: `whatsapp:+316...`), a chat id
(Telegram) or a page-scoped id (Messenger). Before a message reaches Rasa, the channel replaces that
address with a keyed hash (HMAC-SHA256), so the tracker store, its backups and Rasa's logs hold
only the hash. The key is `SENDER_ID_KEY`, or generated at first use in `var/sender_id_key` (0600).
The same person always gets the same id, so the conversation continues; without the key nobody
can test a list of phone numbers against the stored ids.

Replies must still reach the real address. The mapping hash -> address lives only in this process's
memory (`AddressBook`), never on disk: a stolen database or disk reveals no numbers. The cost: after a
restart, a reply pushed without a new message from the person (a mediator's answer) cannot be
delivered until the person writes again. WhatsApp and Messenger only allow free replies within 24
hours of the person's last message anyway, which is why addresses are kept for 24 hours.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from bot.secrets import secret

ADDRESS_LIFETIME_SECONDS = 24 * 3600


def sender_id_key() -> bytes:
    """The HMAC key (`SENDER_ID_KEY`, or generated in `var/sender_id_key` with mode 0600)."""
    return secret("sender_id_key", "SENDER_ID_KEY").encode("utf-8")


def pseudonymous_id(channel: str, address: str, key: bytes | None = None) -> str:
    """`<channel>-<32 hex digits>`: a keyed hash of the provider's address for this person.

    The channel name is part of the hashed text, so the same number on two channels gives two ids.
    """
    digest = hmac.new(key or sender_id_key(), f"{channel}:{address}".encode(), hashlib.sha256)
    return f"{channel}-{digest.hexdigest()[:32]}"


def is_pseudonymous(sender_id: str) -> bool:
    """Whether `sender_id` has the form `pseudonymous_id` gives."""
    channel, _, digest = sender_id.rpartition("-")
    return bool(channel) and len(digest) == 32 and all(c in "0123456789abcdef" for c in digest)


@dataclass
class _Entry:
    address: str
    seen_at: float


class AddressBook:
    """Pseudonymous id -> real address, in memory only, forgotten 24 hours after the last message."""

    def __init__(self, lifetime_seconds: float = ADDRESS_LIFETIME_SECONDS) -> None:
        self.lifetime_seconds = lifetime_seconds
        self._entries: dict[str, _Entry] = {}

    def remember(self, sender_id: str, address: str) -> None:
        """Keeps `address` for `sender_id` (a message from the person just arrived)."""
        now = time.monotonic()
        self._entries[sender_id] = _Entry(address, now)
        if len(self._entries) % 256 == 0:
            self._forget_expired(now)

    def address(self, sender_id: str) -> str | None:
        """The real address of `sender_id`, or None if unknown or expired."""
        entry = self._entries.get(sender_id)
        if entry is None or time.monotonic() - entry.seen_at > self.lifetime_seconds:
            self._entries.pop(sender_id, None)
            return None
        return entry.address

    def forget(self, sender_id: str) -> None:
        """Drops the address of `sender_id` (e.g. when the person asks to be forgotten)."""
        self._entries.pop(sender_id, None)

    def _forget_expired(self, now: float) -> None:
        for sender_id in [s for s, e in self._entries.items() if now - e.seen_at > self.lifetime_seconds]:
            del self._entries[sender_id]


# The one address book of this process, shared by the messaging channels (ids carry the channel name).
ADDRESS_BOOK = AddressBook()
