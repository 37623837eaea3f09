"""Rasa NLG that answers from `content/<lang>/answers.yml` in the conversation's language.

Configured in endpoints.yml (`nlg: type: bot.nlg.ContentNLG`). Rasa replaces same-named responses
across domain files instead of merging them, so per-language files cannot live in the domain; this
class reads them at start-up instead, and a translator edits one language in one file.
"""
from __future__ import annotations

from typing import Any

from rasa.core.nlg import NaturalLanguageGenerator, TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.cards import CARDS, card_links, card_text
from bot.content.store import content
from bot.policies.language import reply_language


class ContentNLG(NaturalLanguageGenerator):
    """Renders `utter_<answer>` from the content files; other responses from the domain."""

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None, **_: Any
    ) -> None:
        self.content = content()
        self._domain_responses = TemplatedNaturalLanguageGenerator((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        """The response for `utter_action` in the language of the conversation."""
        answer_id = self.content.answer_id(utter_action)
        if answer_id is None:
            return await self._domain_responses.generate(utter_action, tracker, output_channel, **kwargs)
        language = reply_language(tracker)
        card = answer_id[len("card_"):] if answer_id.startswith("card_") else None
        if card in CARDS:
            response = {"text": card_text(card, language), "image": card_links(card, language)["image"]}
            buttons = self.content.render(answer_id, language).buttons
            return {**response, "buttons": buttons} if buttons else response
        values = {**tracker.current_slot_values(), **kwargs}
        rendered = self.content.render(answer_id, language, values)
        return rendered.as_response()
