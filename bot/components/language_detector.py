"""Puts each message's language, and any language the person asks for, into the parse result."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import language_cues, language_detection
from bot import text as text_rules
from bot.conversation_language import metadata_language
from bot.languages import LANGUAGE_NAMES
from bot.text import arabic_stems, normalise

LANGUAGE_KEY = "language"
DETECTION_KEY = "language_detection"
_WORD = re.compile(r"\w+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Detects the message's language (top-level `language`) and requested languages (entity)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """No options: the language list lives in `bot.languages`."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Builds the detector once; lingua loads its models here, not per message."""
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config
        language_detection.warm_up()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Changes when the detection rules change, so Rasa's training cache does not reuse old tags."""
        sources = (language_detection, language_cues, text_rules)
        return hashlib.sha256(b"".join(Path(module.__file__).read_bytes() for module in sources)).hexdigest()

    @staticmethod
    def required_packages() -> list[str]:
        """Packages this component imports."""
        return ["lingua"]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Tags every training example with its language, so the tokenizer can pick its rules."""
        for example in training_data.training_examples:
            if example.get(TEXT):
                self._tag_language(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds `language`, `language_detection` and `language` entities to each message."""
        for message in messages:
            self._tag_language(message)
            requested = self.requested_languages(message.get(TEXT) or "")
            if requested:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(requested)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _tag_language(self, message: Message) -> None:
        detection = language_detection.detect(message.get(TEXT) or "")
        from_channel = metadata_language(message.get("metadata"))
        message.set(LANGUAGE_KEY, detection.language, add_to_output=True)
        message.set(
            DETECTION_KEY,
            {
                "confidence": round(detection.confidence, 3),
                "words": detection.words,
                "method": detection.method,
                "scores": detection.scores,
                "channel_language": from_channel,
            },
            add_to_output=True,
        )

    @staticmethod
    def requested_languages(text: str) -> list[dict[str, Any]]:
        """Entities for every language named in `text` ("in Arabic please" -> `ar`)."""
        entities = []
        for match in _WORD.finditer(text):
            code = _language_named(normalise(match.group()))
            if code:
                entities.append(
                    {
                        "entity": "language",
                        "value": code,
                        "start": match.start(),
                        "end": match.end(),
                        "confidence": 1.0,
                    }
                )
        return entities


def _language_named(word: str) -> str | None:
    if word in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[word]
    for stem in arabic_stems(word):  # "بالعربي", "والفارسية", "للعربية"
        if stem in LANGUAGE_NAMES:
            return LANGUAGE_NAMES[stem]
    return None
