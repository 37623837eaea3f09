"""How Rasa calls the action server: with our token, and with a useful answer when the call fails.

rasa-sdk has no authentication, so our action server (actions/server.py) refuses calls without
`Authorization: Bearer <token>`. `install()` makes every custom-action call of this Rasa process send
that header (the token from `ACTION_SERVER_TOKEN` or `var/action_server_token`, so it is never
written into endpoints.yml), and turns a failed call into an answer:
- the action server is down, refuses or crashes → the `service_unavailable` note in the person's
  language, with the helpdesk's phone and e-mail, instead of silence;
- "forget me" needs no action server: the tracker store deletes the conversation itself
  (bot/privacy/tracker_store.py) and the restart is done here.
Installed when Rasa loads our NLG and tracker store (both configured in endpoints.yml).
"""
from __future__ import annotations

import functools
import logging
from typing import Any

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"
_installed = False


def install() -> None:
    """Wraps Rasa's `RemoteAction.run` (once per process)."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.core.events import BotUttered, Restarted

    from bot.secrets import action_server_token

    original = RemoteAction.run
    token = action_server_token()

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list:
        if self.action_endpoint is not None:
            self.action_endpoint.headers.setdefault("Authorization", f"Bearer {token}")
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
            logger.error("Action server failed running %s (%s): answering with contact details instead",
                         self.name(), type(error).__name__)
            if self.name() == FORGET_ACTION:
                return [Restarted()]
            from bot.policies.language import reply_language
            from bot.privacy.notice import note

            # Rasa sends the returned BotUttered events to the channel (`execute_side_effects`).
            return [BotUttered(note("service_unavailable", reply_language(tracker)))]

    RemoteAction.run = run  # type: ignore[method-assign]
    _installed = True
