"""Turns any message with a danger sign into the emergency question, whatever else it says."""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.danger_signs import matcher

EMERGENCY_INTENT = "ask_emergency"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DangerSignClassifier(GraphComponent):
    """Sets the intent to `ask_emergency` (confidence 1) when a danger sign is found.

    It runs after the FallbackClassifier, so a message that is otherwise not understood ("my
    brother not breathing pls") still gets the 112 answer.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the phrases live in `content/<lang>/danger_signs.yml`."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DangerSignClassifier:
        """Loads the phrases once."""
        return cls()

    def __init__(self) -> None:
        self._matcher = matcher()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Overrides the intent of messages that contain a danger sign."""
        for message in messages:
            sign = self._matcher.find(message.get(TEXT) or "")
            if sign is None:
                continue
            emergency = {"name": EMERGENCY_INTENT, "confidence": 1.0}
            ranking = [
                entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get("name") != EMERGENCY_INTENT
            ]
            message.set(INTENT, emergency, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [emergency, *ranking], add_to_output=True)
            message.set("danger_sign", {"phrase": sign.phrase, "language": sign.language}, add_to_output=True)
        return messages
