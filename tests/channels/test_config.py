"""Messaging channels are off unless configured, and their secrets never go to disk."""
from __future__ import annotations

import pytest
import yaml

from bot.channels.config import ChannelConfigError, configured_channels
from bot.paths import ROOT
from bot.serve import credentials_for

TWILIO = {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "secret-token", "TWILIO_WHATSAPP_NUMBER": "whatsapp:+1"}


def test_no_variables_means_no_messaging_channel_and_the_projects_credentials_file():
    assert configured_channels({}) == []
    assert credentials_for({}) == ROOT / "credentials.yml"


def test_a_half_configured_channel_is_an_error():
    with pytest.raises(ChannelConfigError, match="TWILIO_WHATSAPP_NUMBER"):
        configured_channels({"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "x"})


def test_configured_channels_are_added_without_their_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    path = credentials_for({**TWILIO, "TELEGRAM_BOT_TOKEN": "123:abc"})
    assert path == tmp_path / "credentials.yml"
    written = yaml.safe_load(path.read_text())
    project = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert set(written) == set(project) | {"bot.channels.telegram.TelegramInput", "bot.channels.twilio.TwilioInput"}
    assert "bot.channels.messenger.MessengerInput" not in written
    assert "secret-token" not in path.read_text() and "123:abc" not in path.read_text()


def test_every_channel_variable_is_documented_in_the_readme():
    from bot.channels.config import CHANNELS

    readme = (ROOT / "README.md").read_text("utf-8")
    names = [name for channel in CHANNELS for name in channel.required + channel.optional] + ["SENDER_ID_KEY"]
    assert [name for name in names if f"`{name}`" not in readme] == []
