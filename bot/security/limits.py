"""Input limits and rate limits shared by every channel (REST, socket.io, the messaging apps).

- `clean_text`: removes control characters and bidi overrides/isolates (which can make a message
  display differently from what it says), keeps letters, marks, emoji, ZWNJ/ZWJ and new lines.
- `cut`: messages over `MAX_MESSAGE_CHARACTERS` (default 2000) are cut; the channel adds a note.
- `RateLimiter`: token buckets per sender and per network address, in this process's memory.
- `client_address`: the caller's address, through `TRUSTED_PROXIES` only.
- `person_language`: the language of a short note to someone we have not parsed (metadata or detection).
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

# C0/C1 controls except tab and new line; bidi embeddings, overrides and isolates (LRE..RLO, LRI..PDI);
# the byte-order mark and other "noncharacters" that show nothing. ZWNJ and ZWJ stay: Persian needs them.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\ufff9-\ufffb]")
MAX_SENDER_ID_CHARACTERS = 128
_SENDER_ID = re.compile(rf"[\w.:@+=-]{{1,{MAX_SENDER_ID_CHARACTERS}}}", re.ASCII)


def max_message_characters() -> int:
    """`MAX_MESSAGE_CHARACTERS`, or 2000 (about 350 words; nobody types more in a chat)."""
    return int(os.environ.get("MAX_MESSAGE_CHARACTERS") or 2000)


def clean_text(text: str) -> str:
    """`text` without control characters and bidi overrides; carriage returns become new lines."""
    return _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def cut(text: str) -> tuple[str, bool]:
    """`text` cut to the maximum length, and whether it was cut."""
    limit = max_message_characters()
    return (text[:limit], True) if len(text) > limit else (text, False)


def is_valid_sender_id(sender_id: object) -> bool:
    """A sender id we accept from a client: 1-128 letters, digits and `_ . : @ + = -`."""
    return isinstance(sender_id, str) and bool(_SENDER_ID.fullmatch(sender_id))


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by a string: `per_minute` messages a minute, bursts of `per_minute / 3`."""

    def __init__(self, per_minute: float, max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self.capacity = max(5.0, per_minute / 3)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Takes one token for `key`; False when its bucket is empty (or always True when disabled)."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.per_minute / 60)
            bucket.updated = now
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True


def _per_minute(env: str, default: float) -> float:
    return float(os.environ.get(env) or default)


class ChannelLimits:
    """The limits of one channel: per sender (`RATE_LIMIT_SENDER_PER_MINUTE`, default 60) and per
    address (`RATE_LIMIT_ADDRESS_PER_MINUTE`, default 300). 0 turns a limit off. Loopback addresses
    (`RATE_LIMIT_EXEMPT_ADDRESSES`, default 127.0.0.1 and ::1) have no address limit, because behind
    a local proxy without `TRUSTED_PROXIES` every caller would look like one."""

    def __init__(self) -> None:
        self.senders = RateLimiter(_per_minute("RATE_LIMIT_SENDER_PER_MINUTE", 60))
        self.addresses = RateLimiter(_per_minute("RATE_LIMIT_ADDRESS_PER_MINUTE", 300))
        exempt = os.environ.get("RATE_LIMIT_EXEMPT_ADDRESSES", "127.0.0.1,::1")
        self.exempt = {address.strip() for address in exempt.split(",") if address.strip()}

    def allow(self, sender_id: str, address: str | None) -> bool:
        """Whether this message may go on (takes a token from both buckets)."""
        address_ok = not address or address in self.exempt or self.addresses.allow(address)
        return self.senders.allow(sender_id) and address_ok


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The caller's address: the peer, or the last `X-Forwarded-For` hop if the peer is a trusted proxy."""
    trusted = {p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()}
    if peer in trusted and forwarded_for:
        return forwarded_for.split(",")[-1].strip() or peer
    return peer


def person_language(metadata: object, text: str) -> str:
    """The language for a note to someone whose message we did not parse: channel metadata, else a
    confident detection, else English."""
    from bot.languages import FALLBACK, SUPPORTED

    if isinstance(metadata, dict) and metadata.get("language") in SUPPORTED:
        return str(metadata["language"])
    try:
        from bot.language_detection import detect

        detection = detect(text[:500])
        if detection.language in SUPPORTED and detection.confidence >= 0.6:
            return str(detection.language)
    except Exception:  # noqa: BLE001 - a note in English is better than none
        pass
    return FALLBACK


@dataclass
class Incoming:
    """What a channel should do with one incoming message (see `check_incoming`)."""

    text: str  # cleaned and cut: what Rasa gets
    refusal: str | None  # a polite note to send instead of handling the message (rate limit), or None
    cut_note: str | None  # a note to send after the replies (the message was cut), or None


def check_incoming(limits: ChannelLimits, sender_id: str, address: str | None, text: str,
                   metadata: object = None) -> Incoming:
    """The checks every channel applies to a message, in one call (used by bot/security/channels.py,
    and meant for the messaging channels): rate limits, clean text, cut with a note."""
    from bot.privacy.notice import note

    allowed = limits.allow(sender_id, address)
    cleaned, was_cut = cut(clean_text(text))
    if not allowed:
        return Incoming(cleaned, note("rate_limited", person_language(metadata, cleaned)), None)
    if not was_cut:
        return Incoming(cleaned, None, None)
    language = person_language(metadata, cleaned)
    return Incoming(cleaned, None, note("message_cut", language, max_characters=max_message_characters()))
