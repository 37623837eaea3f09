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

from bot import action_calls
from bot.cards import CARDS, card_links, card_text
from bot.content.store import content
from bot.policies.language import reply_language
from bot.privacy.notice import with_privacy_notice
from bot.refusal_letter import ANSWER as LETTER_ANSWER
from bot.refusal_letter import letter_links, letter_text


class ContentNLG(NaturalLanguageGenerator):
    """Renders `utter_<answer>` from the content files; other responses from the domain."""

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None, **_: Any
    ) -> None:
        self.content = content()
        action_calls.install()  # token and fallback answer for custom actions (bot/action_calls.py)
        self._domain_responses = TemplatedNaturalLanguageGenerator((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        """The response for `utter_action` in the language of the conversation; the conversation's
        first answer ends with the short privacy notice (bot/privacy/notice.py)."""
        response = await self._response(utter_action, tracker, output_channel, **kwargs)
        return with_privacy_notice(response, tracker, reply_language(tracker)) if response else response

    async def _response(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        answer_id = self.content.answer_id(utter_action)
        if answer_id is None:
            return await self._domain_responses.generate(utter_action, tracker, output_channel, **kwargs)
        language = reply_language(tracker)
        card = answer_id[len("card_"):] if answer_id.startswith("card_") else None
        if card in CARDS:
            response = {"text": card_text(card, language), "image": card_links(card, language)["image"]}
            buttons = self.content.render(answer_id, language).buttons
            return {**response, "buttons": buttons} if buttons else response
        if answer_id == LETTER_ANSWER:
            response = {"text": letter_text(language), "image": letter_links(language)["image"]}
            return {**response, "buttons": self.content.render(answer_id, language).buttons}
        values = {**tracker.current_slot_values(), **kwargs}
        rendered = self.content.render(answer_id, language, values)
        return rendered.as_response()
