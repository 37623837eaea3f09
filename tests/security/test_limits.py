"""Input limits, rate limits and payload checks (no server needed)."""
from __future__ import annotations

import asyncio

import pytest

from bot.security.channels import payload_problem, prepare_text
from bot.security.limits import ChannelLimits, RateLimiter, clean_text, client_address, is_valid_sender_id
from tests.awkward import AWKWARD_STRINGS, SAMPLES


def test_control_and_bidi_override_characters_are_removed_but_persian_joiners_stay():
    assert clean_text("a\x00b\x07c\u202ed\u2066e\ufeff") == "abcde"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ is part of Persian spelling
    assert clean_text("line\r\nnext") == "line\nnext"


@pytest.mark.parametrize("text", AWKWARD_STRINGS + list(SAMPLES.values()))
def test_prepared_text_is_clean_and_never_too_long(text, monkeypatch):
    monkeypatch.setenv("MAX_MESSAGE_CHARACTERS", "2000")
    prepared, was_cut = prepare_text(text)
    assert len(prepared) <= 2000 and was_cut == (len(clean_text(text)) > 2000)
    assert "\x00" not in prepared and "\u202e" not in prepared


def test_a_burst_is_allowed_then_refused_then_allowed_again_after_a_pause():
    limiter = RateLimiter(per_minute=30)  # bursts of 10, one more every 2 seconds
    assert all(limiter.allow("s", now=0.0) for _ in range(10))
    assert not limiter.allow("s", now=0.5)
    assert limiter.allow("other", now=0.5)
    assert limiter.allow("s", now=2.6)


def test_loopback_has_no_address_limit_but_other_addresses_do(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_ADDRESS_PER_MINUTE", "15")
    monkeypatch.setenv("RATE_LIMIT_SENDER_PER_MINUTE", "0")
    limits = ChannelLimits()
    assert all(limits.allow(f"sender-{i}", "127.0.0.1") for i in range(50))
    results = [limits.allow(f"sender-{i}", "203.0.113.9") for i in range(10)]
    assert results[:5] == [True] * 5 and not all(results)


def test_forwarded_address_is_trusted_only_from_a_trusted_proxy(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.5") == "203.0.113.5"
    assert client_address("192.0.2.7", "203.0.113.5") == "192.0.2.7"


@pytest.mark.parametrize("sender", ["", " ", "a" * 129, "x y", "<script>", "../../etc", 5, None, ["a"], "é"])
def test_bad_sender_ids_are_refused(sender):
    assert not is_valid_sender_id(sender)


@pytest.mark.parametrize("payload, problem", [
    ([], "JSON object"), ("hi", "JSON object"), (None, "JSON object"),
    ({"message": "hi"}, "`sender`"), ({"sender": "a", "message": 5}, "`message`"),
    ({"sender": "a"}, "`message`"), ({"sender": "a", "message": "hi", "metadata": "x"}, "`metadata`"),
])
def test_malformed_rest_payloads_are_explained(payload, problem):
    assert problem in payload_problem(payload)


def test_a_good_rest_payload_passes():
    assert payload_problem({"sender": "web-1f3a", "message": "", "metadata": {"language": "ar"}}) is None


def test_action_server_refuses_calls_without_the_token():
    from actions.server import create_action_server

    app = create_action_server("s3cret", "actions")
    middleware = app.request_middleware[0]

    class FakeRequest:
        def __init__(self, path, authorization=None):
            self.path, self.method = path, "POST"
            self.headers = {"authorization": authorization} if authorization else {}

    assert asyncio.run(middleware(FakeRequest("/webhook"))).status == 401
    assert asyncio.run(middleware(FakeRequest("/webhook", "Bearer wrong"))).status == 401
    assert asyncio.run(middleware(FakeRequest("/actions", "Basic s3cret"))).status == 401
    assert asyncio.run(middleware(FakeRequest("/webhook", "Bearer s3cret"))) is None
    assert asyncio.run(middleware(FakeRequest("/health"))) is None


def test_check_incoming_refuses_politely_then_cuts_with_a_note(monkeypatch):
    from bot.privacy.notice import note
    from bot.security.limits import check_incoming

    monkeypatch.setenv("RATE_LIMIT_SENDER_PER_MINUTE", "15")  # bursts of 5
    monkeypatch.setenv("MAX_MESSAGE_CHARACTERS", "100")
    limits = ChannelLimits()
    long = check_incoming(limits, "s", None, SAMPLES["es"] + " ayuda" * 50)
    assert len(long.text) == 100 and long.refusal is None and long.cut_note == note("message_cut", "es",
                                                                                     max_characters=100)
    results = [check_incoming(limits, "s", None, "\u202ehola", {"language": "fa"}) for _ in range(6)]
    assert results[0].text == "hola" and results[0].refusal is None
    assert results[-1].refusal == note("rate_limited", "fa")
