"""What the messaging-app channels (Telegram, WhatsApp through Twilio, Messenger) share.

- Inbound: the person's address is replaced by a pseudonymous id (`bot.sender_ids`) before Rasa
  sees the message, and a reply that picks one of the options last offered ("2", or the option's
  title) becomes that option's payload.
- Outbound: long answers are split under the provider's limit at paragraph, then sentence, then word
  boundaries; buttons a channel cannot show become numbered options; images are sent as media.
- Webhooks answer bad input with a short JSON error (4xx), never a 500.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.security.limits import ChannelLimits, check_incoming
from bot.sender_ids import ADDRESS_BOOK, ADDRESS_LIFETIME_SECONDS, pseudonymous_id
from bot.text import normalise

logger = logging.getLogger(__name__)

PARAGRAPH_BREAK = "\n\n"  # blank lines separate messages (content convention, as in Rasa's channels)
MAX_BODY_BYTES = 1_000_000  # a real webhook call is a few kilobytes; Messenger batches stay well under this
MAX_TEXT_CHARACTERS = 10_000  # longer than any provider lets a person type
PROVIDER_TIMEOUT_SECONDS = 20

_SENTENCE_END = re.compile(r"(?<=[.!?;:؟۔。])\s+")
_CHOICE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")

# --- Splitting long answers -------------------------------------------------------------------


def utf16_length(text: str) -> int:
    """Length as the providers count it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int) -> list[str]:
    """`text` as messages of at most `limit`: one per paragraph, long paragraphs cut sensibly."""
    messages = []
    for paragraph in text.strip().split(PARAGRAPH_BREAK):
        if paragraph.strip():
            messages.extend(fit(paragraph.strip(), limit))
    return messages


def fit(text: str, limit: int) -> list[str]:
    """Cuts `text` into pieces of at most `limit`: at line breaks, sentence ends, spaces, or anywhere."""
    if utf16_length(text) <= limit:
        return [text]
    for pattern in ("\n", _SENTENCE_END, " "):
        pieces = pattern.split(text) if isinstance(pattern, re.Pattern) else text.split(pattern)
        if len(pieces) > 1:
            joiner = "\n" if pattern == "\n" else " "
            return _pack([p for p in pieces if p.strip()], limit, joiner)
    cut = _hard_cut(text, limit)
    return [text[:cut]] + fit(text[cut:], limit)


def _pack(pieces: list[str], limit: int, joiner: str) -> list[str]:
    """Joins consecutive pieces while they fit; a piece too long on its own is cut further."""
    messages: list[str] = []
    current = ""
    for piece in pieces:
        candidate = current + joiner + piece if current else piece
        if utf16_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        if utf16_length(piece) <= limit:
            current = piece
        else:
            *whole, current = fit(piece, limit)
            messages.extend(whole)
    if current:
        messages.append(current)
    return messages


def _hard_cut(text: str, limit: int) -> int:
    """The longest prefix of `text` within `limit` UTF-16 units (at least one character)."""
    cut = min(len(text), limit)
    while cut > 1 and utf16_length(text[:cut]) > limit:
        cut -= 1
    return cut


# --- Options offered, and choosing one by number or title ----------------------------------------


@dataclass(frozen=True)
class Option:
    """A button: what the person sees and the payload Rasa gets."""

    title: str
    payload: str


def options_from_buttons(buttons: list[dict[str, Any]] | None) -> list[Option]:
    """The buttons Rasa sends, as options (buttons without a title or payload are dropped)."""
    options = []
    for button in buttons or []:
        if isinstance(button, dict) and button.get("title") and button.get("payload"):
            options.append(Option(str(button["title"]), str(button["payload"])))
    return options


class OfferedOptions:
    """The options last offered to each sender, in memory, for as long as addresses are kept."""

    def __init__(self, lifetime_seconds: float = ADDRESS_LIFETIME_SECONDS) -> None:
        self.lifetime_seconds = lifetime_seconds
        self._offered: dict[str, tuple[float, list[Option]]] = {}

    def offer(self, sender_id: str, options: list[Option]) -> None:
        """Remembers `options` as the choices now in front of `sender_id`."""
        if options:
            self._offered[sender_id] = (time.monotonic(), options)

    def take(self, sender_id: str) -> list[Option]:
        """The options last offered (and forgets them: a new message means a new turn)."""
        offered_at, options = self._offered.pop(sender_id, (0.0, []))
        if time.monotonic() - offered_at > self.lifetime_seconds:
            return []
        return options

    def answer(self, sender_id: str, text: str) -> str:
        """The payload of the option `text` chooses, else `text` unchanged."""
        chosen = choose(self.take(sender_id), text)
        return chosen.payload if chosen else text


def choose(options: list[Option], text: str) -> Option | None:
    """The option a reply picks: its number ("2", "2.", "٢") or its exact title (any case or accents)."""
    if not options:
        return None
    wanted = normalise(text)
    number = _CHOICE_NUMBER.match(wanted)
    if number:
        index = int(number.group(1))
        return options[index - 1] if 1 <= index <= len(options) else None
    for option in options:
        if normalise(option.title).rstrip(" ?!.") == wanted.rstrip(" ?!."):
            return option
    return None


OFFERED = OfferedOptions()


def numbered_options(options: list[Option]) -> str:
    """"1. title" lines, then a line asking for the number in the options' language when known."""
    lines = [f"{number}. {option.title}" for number, option in enumerate(options, start=1)]
    hint = choice_hint(options)
    return "\n".join(lines + ([hint] if hint else []))


def choice_hint(options: list[Option]) -> str:
    """"Reply with a number" in the language the button titles are written in (content/)."""
    from bot.content.store import content

    source = content()
    titles = {option.title for option in options}
    for language in source.languages.values():
        if titles <= set(language.buttons.values()) and language.notes.get("choose_by_number"):
            return language.notes["choose_by_number"]
    return ""


# --- Talking to the providers ------------------------------------------------------------------


class ProviderApi:
    """One HTTP client session per process for a provider's API (created in the server's loop)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PROVIDER_TIMEOUT_SECONDS))
        return self._session

    async def post(self, url: str, what: str, **kwargs: Any) -> tuple[int, Any] | None:
        """POSTs and returns (status, JSON body or text); None when the provider cannot be reached.

        `what` names the call in logs: URLs are never logged (Telegram's contains the bot token).
        """
        try:
            async with self.session().post(url, **kwargs) as reply:
                try:
                    body: Any = await reply.json(content_type=None)
                except ValueError:
                    body = await reply.text()
                if reply.status >= 300:
                    # Only the error code: providers' error texts can quote the phone number.
                    logger.warning("%s failed: HTTP %s, error code %s", what, reply.status, _error_code(body))
                return reply.status, body
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.warning("%s failed: %s", what, type(error).__name__)
            return None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def _error_code(body: Any) -> Any:
    """The provider's error code (Twilio `code`, Telegram `error_code`, Graph `error.code`)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    return body.get("code") or body.get("error_code") or (error.get("code") if isinstance(error, dict) else None)


class MessagingOutput(OutputChannel):
    """Sends Rasa's replies to a messaging app, to the real address behind the pseudonymous id.

    Subclasses set `limit` and implement `send_texts` and `send_image_to`; they may show buttons
    natively (`native_options`), else the options are numbered in the text.
    """

    limit = 1600

    async def send_texts(self, address: str, texts: list[str], options: list[Option], numbered: bool) -> None:
        """Sends `texts` in order. `options` go with the last one, as buttons, or already numbered
        in the text (`numbered`), where a channel may still offer the numbers to tap."""
        raise NotImplementedError

    async def send_image_to(self, address: str, url: str) -> None:
        raise NotImplementedError

    def native_options(self, options: list[Option]) -> bool:
        """Whether the app can show these options as buttons."""
        return False

    def _address(self, recipient_id: str) -> str | None:
        address = ADDRESS_BOOK.address(recipient_id)
        if address is None:
            logger.warning("No address for %s (restarted, or silent for 24 hours): reply dropped", recipient_id)
        return address

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        address = self._address(recipient_id)
        if address and text and text.strip():
            await self.send_texts(address, split_message(text, self.limit), [], numbered=False)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        OFFERED.offer(recipient_id, options)
        address = self._address(recipient_id)
        if address is None:
            return
        native = self.native_options(options)
        texts = split_message(text or "", self.limit)
        if options and not native:
            last = texts.pop() + PARAGRAPH_BREAK if texts else ""
            texts.extend(fit(last + numbered_options(options), self.limit))
        if not texts:
            return
        await self.send_texts(address, texts, options, numbered=not native)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        address = self._address(recipient_id)
        if address and isinstance(image, str) and image.startswith(("https://", "http://")):
            await self.send_image_to(address, image)

    async def send_custom_json(self, recipient_id: str, json_message: Any, **kwargs: Any) -> None:
        # Custom payloads are meant for the web widget; raw JSON would only confuse a person here.
        if isinstance(json_message, dict) and isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])


# --- Receiving -----------------------------------------------------------------------------------


def reject(status: int, reason: str) -> HTTPResponse:
    """A short JSON error; never details of the server."""
    return response.json({"error": reason}, status=status)


def too_large(request: Request) -> bool:
    return len(request.body or b"") > MAX_BODY_BYTES


class MessagingInput(InputChannel):
    """Hands a person's message to Rasa under a pseudonymous id, with option numbers resolved."""

    async def deliver(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], address: str, text: str
    ) -> None:
        """Passes `text` from `address` to Rasa; replies go out through this channel's output."""
        sender_id = pseudonymous_id(self.name(), address)
        ADDRESS_BOOK.remember(sender_id, address)
        output = self.get_output_channel()
        # Every request comes from the provider's servers, so only the per-sender limit applies.
        incoming = check_incoming(_limits_of(self.name()), sender_id, None, text)
        if incoming.refusal:
            await output.send_text_message(sender_id, incoming.refusal)
            return
        text = OFFERED.answer(sender_id, incoming.text)
        message = UserMessage(text, output, sender_id, input_channel=self.name())
        try:
            await on_new_message(message)
        except Exception:  # Rasa failed on this message; the provider must not retry it forever
            logger.exception("%s: handling a message from %s failed", self.name(), sender_id)
        if incoming.cut_note:
            await output.send_text_message(sender_id, incoming.cut_note)


_LIMITS: dict[str, ChannelLimits] = {}


def _limits_of(channel: str) -> ChannelLimits:
    """One set of rate limits per messaging channel, for the life of the process."""
    return _LIMITS.setdefault(channel, ChannelLimits())


def usable_text(value: Any) -> str | None:
    """The text of a message if it is a non-blank string, else None."""
    if isinstance(value, str) and value.strip():
        return value
    return None
