"""Rasa's calls to the action server: our token is sent, and a failure becomes contact details."""
from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import action_calls
from bot.content.store import content
from bot.languages import SUPPORTED
from tests.servers import free_port


@pytest.fixture(autouse=True)
def token(tmp_path, monkeypatch):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "test-token")
    action_calls._installed = False
    action_calls.install()


def tracker_in(language: str) -> DialogueStateTracker:
    domain = Domain.from_dict({"slots": {"language": {"type": "text", "mappings": []}}})
    tracker = DialogueStateTracker("someone", domain.slots)
    tracker.update(SlotSet("language", language))
    tracker.update(UserUttered("/request_human", parse_data={"intent": {"name": "request_human"}}))
    return tracker


def run(action: RemoteAction, tracker: DialogueStateTracker) -> list:
    return asyncio.run(action.run(CollectingOutputChannel(), None, tracker, Domain.empty()))


@pytest.mark.parametrize("language", SUPPORTED)
def test_action_server_down_gives_contact_details_in_the_users_language(language):
    closed = EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook")
    events = run(RemoteAction("action_find_ngo", closed), tracker_in(language))
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    facts = content().fact_values()
    assert facts["dvdw_phone"] in events[0].text and facts["dvdw_email"] in events[0].text
    expected = content().languages[language].notes["service_unavailable"].split("{")[0]
    assert events[0].text.startswith(expected)


def test_forget_me_restarts_even_without_the_action_server():
    closed = EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook")
    assert run(RemoteAction("action_forget_me", closed), tracker_in("nl")) == [Restarted()]


def test_the_token_is_sent_and_a_refusal_also_gives_contact_details():
    seen: list[str] = []

    async def scenario() -> list:
        async def webhook(request: web.Request) -> web.Response:
            seen.append(request.headers.get("Authorization", ""))
            return web.json_response({"error": "missing or wrong token"}, status=401)

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            action = RemoteAction("action_find_ngo", EndpointConfig(url=f"http://127.0.0.1:{port}/webhook"))
            return await action.run(CollectingOutputChannel(), None, tracker_in("tr"), Domain.empty())
        finally:
            await runner.cleanup()

    events = asyncio.run(scenario())
    assert seen == ["Bearer test-token"]
    assert "Dokters van de Wereld" in events[0].text
