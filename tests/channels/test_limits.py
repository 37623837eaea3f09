"""The messaging channels apply the shared input limits: rate limit per sender, clean text, cut note.

Rasa's side is a recorder of the messages it would handle; the replies go to the fake Twilio API."""
from __future__ import annotations

import asyncio

import pytest

from bot.channels import messaging
from bot.channels import twilio as twilio_channel
from bot.channels.twilio import TwilioInput
from tests.channels.fakes import FakeTwilio

ACCOUNT, TOKEN, NUMBER = "AC" + "1" * 32, "secret-auth-token", "whatsapp:+14155238886"


@pytest.fixture()
def twilio(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_SENDER_PER_MINUTE", "1")  # bursts of 5, then one a minute
    monkeypatch.setenv("MAX_MESSAGE_CHARACTERS", "50")
    messaging._LIMITS.clear()
    fake = FakeTwilio(ACCOUNT, TOKEN).start()
    yield fake, TwilioInput(ACCOUNT, TOKEN, NUMBER, fake.url)
    fake.stop()
    messaging._LIMITS.clear()


def deliver_all(channel, address, texts):
    handled = []

    async def on_new_message(message):
        handled.append(message.text)

    async def run():
        for text in texts:
            await channel.deliver(on_new_message, address, text)
        await twilio_channel.API.close()  # its session belongs to this event loop

    asyncio.run(run())
    return handled


def test_a_sender_over_the_rate_limit_gets_a_polite_note_and_is_not_handled(twilio):
    fake, channel = twilio
    handled = deliver_all(channel, "whatsapp:+31612345678", [f"vraag {n}" for n in range(8)])
    assert len(handled) == 5
    notes = fake.wait_for("Messages.json", count=3)
    assert all(call.body["To"] == "whatsapp:+31612345678" for call in notes)


def test_another_sender_is_not_slowed_down_by_the_first(twilio):
    _fake, channel = twilio
    deliver_all(channel, "whatsapp:+31612345678", ["x"] * 8)
    assert deliver_all(channel, "whatsapp:+31687654321", ["hallo"]) == ["hallo"]


def test_control_and_bidi_characters_are_removed_and_long_text_is_cut_with_a_note(twilio):
    fake, channel = twilio
    handled = deliver_all(channel, "whatsapp:+31611111111", ["\u202ehallo\x00 huisarts " + "a" * 100])
    assert handled[0].startswith("hallo huisarts ") and len(handled[0]) == 50
    assert fake.wait_for("Messages.json", count=1)
