"""Which messaging channels are on: each one is configured from environment variables (README).

A channel is on when all its required variables are set and off when none is; a half-configured
channel is an error at start-up, so a typo does not silently switch a channel off. This module
imports nothing from Rasa: `bot.serve` reads it before Rasa starts.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelConfig:
    """A messaging channel: its Rasa name, its class (credentials.yml key) and its variables."""

    name: str
    class_path: str
    required: tuple[str, ...]
    optional: tuple[str, ...]


CHANNELS = (
    ChannelConfig(
        "telegram",
        "bot.channels.telegram.TelegramInput",
        required=("TELEGRAM_BOT_TOKEN",),
        optional=("TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_API_URL"),
    ),
    ChannelConfig(
        "twilio",
        "bot.channels.twilio.TwilioInput",
        required=("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER"),
        optional=("TWILIO_WEBHOOK_URL", "TWILIO_API_URL"),
    ),
    ChannelConfig(
        "facebook",
        "bot.channels.messenger.MessengerInput",
        required=("MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"),
        optional=("MESSENGER_API_URL",),
    ),
)


class ChannelConfigError(ValueError):
    """Some but not all of a channel's required variables are set."""


def configured_channels(env: Mapping[str, str] | None = None) -> list[ChannelConfig]:
    """The channels whose required variables are all set in `env` (default: the environment)."""
    env = os.environ if env is None else env
    configured = []
    for channel in CHANNELS:
        present = [name for name in channel.required if env.get(name, "").strip()]
        if len(present) == len(channel.required):
            configured.append(channel)
        elif present:
            missing = ", ".join(name for name in channel.required if name not in present)
            raise ChannelConfigError(f"{channel.name} is half configured: {missing} missing (set all or none)")
    return configured


def setting(name: str, default: str = "") -> str:
    """An environment variable, stripped, or `default` when unset or blank."""
    return os.environ.get(name, "").strip() or default

