"""Splitting long answers, numbered options and choosing one (no server needed)."""
from __future__ import annotations

import pytest

from bot.channels.messaging import (
    OfferedOptions,
    Option,
    choice_hint,
    choose,
    numbered_options,
    split_message,
    utf16_length,
)
from bot.content.store import content
from bot.languages import SUPPORTED

OPTIONS = [Option("Mijn rechten", "/ask_rights"), Option("Wie betaalt?", "/ask_costs"), Option("Spoed", "/x")]


def sentences(count: int) -> str:
    return " ".join(f"Dit is zin nummer {n} over zorg zonder papieren." for n in range(count))


@pytest.mark.parametrize("limit", [1600, 2000, 4096])
def test_long_paragraph_is_split_at_sentence_ends_under_the_limit(limit):
    text = sentences(300)
    parts = split_message(text, limit)
    assert len(parts) > 1
    assert all(utf16_length(part) <= limit for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_blank_lines_separate_messages_and_short_ones_stay_whole():
    assert split_message("Eerste bericht.\n\nTweede bericht.\n\n\n", 1600) == ["Eerste bericht.", "Tweede bericht."]


def test_lines_are_kept_together_while_they_fit():
    text = "\n".join(f"{n}. optie {n}" for n in range(400))
    parts = split_message(text, 1600)
    assert all(utf16_length(p) <= 1600 for p in parts)
    assert "\n".join(parts) == text


def test_text_without_spaces_is_cut_hard_and_emoji_count_twice():
    parts = split_message("🙂" * 3000, 4096)
    assert [utf16_length(p) for p in parts] == [4096, 1904]
    assert "".join(parts) == "🙂" * 3000


@pytest.mark.parametrize("reply", ["2", " 2 ", "2.", "2)", "٢", "۲", "wie betaalt", "WIE BETAALT?", "Wié betaalt"])
def test_a_number_or_the_title_chooses_the_option(reply):
    assert choose(OPTIONS, reply) == OPTIONS[1]


@pytest.mark.parametrize("reply", ["0", "4", "112", "wie", "2 alstublieft", "", "🙂"])
def test_other_replies_choose_nothing(reply):
    assert choose(OPTIONS, reply) is None


def test_offered_options_are_used_once_and_per_sender():
    offered = OfferedOptions()
    offered.offer("twilio-a", OPTIONS)
    assert offered.answer("twilio-b", "2") == "2"
    assert offered.answer("twilio-a", "2") == "/ask_costs"
    assert offered.answer("twilio-a", "2") == "2"


def test_offered_options_expire():
    offered = OfferedOptions(lifetime_seconds=-1)
    offered.offer("twilio-a", OPTIONS)
    assert offered.answer("twilio-a", "1") == "1"


@pytest.mark.parametrize("language", SUPPORTED)
def test_numbered_options_ask_for_the_number_in_the_buttons_language(language):
    buttons = content().render("entitlement", language).buttons
    options = [Option(b["title"], b["payload"]) for b in buttons]
    text = numbered_options(options)
    lines = text.split("\n")
    assert lines[: len(options)] == [f"{n}. {o.title}" for n, o in enumerate(options, start=1)]
    assert lines[-1] == content().languages[language].notes["choose_by_number"]


def test_options_in_no_known_language_get_no_hint():
    assert choice_hint([Option("Zzyzx qwerty", "/x")]) == ""


def test_messenger_signatures_sha256_first_then_sha1_and_nothing_else():
    import hashlib
    import hmac

    from bot.channels.messenger import signature_is_valid

    body, secret = b'{"object":"page"}', "app-secret"
    sha256 = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    sha1 = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    md5 = "md5=" + hmac.new(secret.encode(), body, hashlib.md5).hexdigest()
    assert signature_is_valid(secret, body, {"X-Hub-Signature-256": sha256})
    assert signature_is_valid(secret, body, {"X-Hub-Signature": sha1})
    assert signature_is_valid(secret, body, {"X-Hub-Signature-256": sha256, "X-Hub-Signature": "sha1=0"})
    assert not signature_is_valid(secret, body, {"X-Hub-Signature": md5})
    assert not signature_is_valid(secret, body, {"X-Hub-Signature": "new=abc"})
    assert not signature_is_valid(secret, body + b" ", {"X-Hub-Signature-256": sha256})
    assert not signature_is_valid(secret, body, {})


def test_telegram_updates_are_read_or_refused():
    from sanic.response import HTTPResponse

    from bot.channels.telegram import parse_update

    message = {"message_id": 1, "date": 1, "chat": {"id": 42, "type": "private"}, "text": "hallo"}
    assert parse_update({"update_id": 1, "message": message}) == ("42", "hallo", None)
    assert parse_update({"update_id": 1, "edited_message": message}) == ("42", "hallo", None)
    press = {"id": "q1", "data": "/ask_costs", "message": message}
    assert parse_update({"update_id": 1, "callback_query": press}) == ("42", "/ask_costs", "q1")
    assert parse_update({"update_id": 1, "message": {**message, "text": None, "sticker": {}}}) is None
    assert parse_update({"update_id": 1, "my_chat_member": {}}) is None
    for bad in ({"message": "x"}, {"message": {**message, "chat": {"id": True}}}, {"callback_query": []},
                {"message": {**message, "text": ["a"]}}):
        refused = parse_update({"update_id": 1, **bad})
        assert isinstance(refused, HTTPResponse) and 400 <= refused.status < 500, bad
