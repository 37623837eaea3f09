"""Keeps the `language` slot up to date, after `bot.conversation_language`'s rule."""
from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.conversation_language import UserTurn, language_after, previous_metadata_language

LANGUAGE_SLOT = "language"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class LanguagePolicy(Policy):
    """Never predicts an action; sets the `language` slot when a user message should change it.

    Slot mappings can only read entities, intents and text; the detected language and the
    channel's metadata are neither, so this policy applies the rule once per user message.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Lowest priority: its predictions are all zeros and never win anyway."""
        # Priority among policies when confidences tie (Rasa requires one for every policy).
        return {"priority": 0}

    @staticmethod
    def supported_data() -> SupportedData:
        """Needs no training data."""
        return SupportedData.ML_DATA

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguagePolicy:
        """Nothing is persisted: loading is creating."""
        return cls(config, model_storage, resource, execution_context)

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """No action; a `SlotSet` for the language on the first prediction after a user message."""
        events = []
        if tracker.latest_action_name == ACTION_LISTEN_NAME and tracker.latest_message:
            current = tracker.get_slot(LANGUAGE_SLOT)
            new = reply_language(tracker)
            if new != current and any(slot.name == LANGUAGE_SLOT for slot in domain.slots):
                events.append(SlotSet(LANGUAGE_SLOT, new))
        return self._prediction(self._default_predictions(domain), events=events)


def reply_language(tracker: DialogueStateTracker) -> str:
    """The language to answer the latest user message in."""
    latest = tracker.latest_message
    turn = UserTurn.from_parse_data(latest.parse_data if latest else {}, latest.metadata if latest else None)
    user_events = [event for event in tracker.events if isinstance(event, UserUttered)]
    return language_after(turn, tracker.get_slot(LANGUAGE_SLOT), previous_metadata_language(user_events))
