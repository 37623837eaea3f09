"""socket.io across several Rasa instances: a message for a socket held by another instance goes
through Redis.

A socket lives in the process that accepted it. Rasa emits a bot message to the room named after
the conversation (`session_persistence: true`), but only in its own process, so a mediator reply
injected through instance B (`POST /conversations/<id>/tracker/events?execute_side_effects=true&
output_channel=latest`) never reached a user whose socket is on instance A. Here the socket.io
server of every instance gets python-socketio's `AsyncRedisManager`: each emit is published on a
Redis channel and every instance delivers it to the sockets it holds.

Configured in credentials.yml in place of the socket.io channel (`bot.scale.templates` does it for
the stack), with the original channel kept, so a project subclass of Rasa's channel still applies:

    bot.scale.socketio.RedisSocketIOInput:
      channel: socketio            # or the module path of a SocketIOInput subclass
      redis_url: redis://127.0.0.1:6379/2
      session_persistence: true    # ... the channel's own settings
"""
from __future__ import annotations

from typing import Any

CHANNEL_PATH = "bot.scale.socketio.RedisSocketIOInput"
REDIS_CHANNEL = "zorgrecht-socketio"


def _channel_class(key: str) -> type:
    from rasa.core.channels.socketio import SocketIOInput

    if key == "socketio":
        return SocketIOInput
    from rasa.shared.utils.common import class_from_module_path

    return class_from_module_path(key)


def is_socketio_channel(key: str) -> bool:
    """True when the credentials key `key` is Rasa's socket.io channel or a subclass of it."""
    from rasa.core.channels.socketio import SocketIOInput

    if key == "socketio":
        return True
    if "." not in key or key == CHANNEL_PATH:
        return False
    try:
        channel = _channel_class(key)
    except (ImportError, AttributeError):
        return False
    return isinstance(channel, type) and issubclass(channel, SocketIOInput)


def share_sockets(sio: Any, redis_url: str) -> None:
    """Makes the socket.io server `sio` publish its emits on Redis and deliver the others' emits.

    Must run before the first connection: python-socketio starts the Redis listener on the first
    connect (`manager_initialized`). An instance without sockets only publishes.
    """
    from socketio import AsyncRedisManager

    manager = AsyncRedisManager(redis_url, channel=REDIS_CHANNEL)
    manager.set_server(sio)
    sio.manager = manager
    sio.manager_initialized = False


def _shared(base: type) -> type:
    """`base` (a SocketIOInput class) whose socket.io server shares its sockets through Redis."""

    class Shared(base):
        redis_url = ""

        def blueprint(self, on_new_message):  # noqa: ANN001, ANN201 (Rasa's signature)
            blueprint = super().blueprint(on_new_message)
            share_sockets(self.sio, self.redis_url)
            return blueprint

    Shared.__name__ = Shared.__qualname__ = f"RedisShared{base.__name__}"
    return Shared


class RedisSocketIOInput:
    """Only a factory: Rasa calls `from_credentials`, which returns the configured socket.io channel
    (named `socketio` like Rasa's, so `output_channel=latest` still finds it) with Redis sharing."""

    @classmethod
    def from_credentials(cls, credentials: dict | None) -> Any:
        credentials = dict(credentials or {})
        base = _channel_class(credentials.pop("channel", "socketio"))
        redis_url = credentials.pop("redis_url", None)
        if not redis_url:
            raise ValueError(f"{CHANNEL_PATH} needs `redis_url` in credentials.yml")
        channel = _shared(base).from_credentials(credentials)
        channel.redis_url = redis_url
        return channel
