"""A Rasa instance that is told to stop (SIGTERM) answers every message it has started to read.

Sanic 21.12 (Rasa 3.6's web server) stops like this: stop listening, close every connection that
looks idle, give busy ones `GRACEFUL_SHUTDOWN_TIMEOUT` seconds. Two gaps lost or doubled messages
behind nginx, whose kept-alive connections carry one message after another:

- A connection "looks idle" while a message that already arrived waits in its buffer for the busy
  event loop. Closing it does not stop that message: Rasa handles and stores it, and the answer
  goes nowhere. nginx sees the connection close, sends the message to the other instance, and the
  conversation holds it twice (seen in tests/scale/test_cluster.py).
- A busy connection stays open after its answer, so nginx sends it more messages while the server
  is stopping; the last of them is cut off at the time limit.

So: a connection with a message in its buffer counts as busy, and once the server is stopping every
answer says `Connection: close`, so each connection ends after the message it is handling.
"""
from __future__ import annotations

from typing import Any

_installed = False


def install() -> None:
    """Patches Sanic's HTTP protocol in this process (idempotent)."""
    global _installed
    if _installed:
        return
    from sanic.http import Http, Stage
    from sanic.server.protocols.http_protocol import HttpProtocol

    def close_if_idle(self: HttpProtocol) -> bool:
        http = self._http
        if http is None or (http.stage is Stage.IDLE and not http.recv_buffer):
            self.close()
            return True
        return False

    original_respond = Http.respond

    # (Not http1_response_header: Sanic recompiles that one from its source at start-up.)
    def respond(self: Http, response: Any) -> Any:
        if getattr(self.protocol.signal, "stopped", False):
            self.keep_alive = False
        return original_respond(self, response)

    HttpProtocol.close_if_idle = close_if_idle
    Http.respond = respond
    _installed = True
