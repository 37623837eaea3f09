"""Finds Dutch municipalities in a message, in any spelling, as the entity `city`."""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.places import gazetteer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CityExtractor(GraphComponent, EntityExtractorMixin):
    """Adds a `city` entity whose value is the municipality's Dutch name ("La Haye" -> "Den Haag")."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: names live in `content/places/`."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CityExtractor:
        """Loads the gazetteer once."""
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config
        self._gazetteer = gazetteer()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is: the classifier does not learn cities."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds a `city` entity for each municipality named in each message."""
        for message in messages:
            mentions = self._gazetteer.find(message.get(TEXT) or "")
            if not mentions:
                continue
            entities = [
                {
                    "entity": "city",
                    "value": mention.municipality,
                    "start": mention.start,
                    "end": mention.end,
                    "confidence": 1.0,
                }
                for mention in mentions
            ]
            message.set(
                ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(entities), add_to_output=True
            )
        return messages
