"""Splits a message into words with spaCy's rules for its language, and normalises each word."""
from __future__ import annotations

from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot import text as text_rules
from bot.components.source_fingerprint import source_fingerprint
from bot.languages import SUPPORTED
from bot.text import normalise


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    """A spaCy blank tokenizer chosen by the message's language (set by `LanguageDetector`).

    Tokens keep their offsets in the original text, so entities still point at what the person
    typed, while their text is normalised (`bot.text.normalise`) for the featurizers.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Options of Rasa's base tokenizer, plus the fallback pipeline."""
        return {
            # Split intent names such as `ask_costs+affirm` on the split symbol (Rasa option).
            "intent_tokenization_flag": False,
            # Symbol that separates intents when the flag above is set.
            "intent_split_symbol": "_",
            # Regular expression that further splits tokens (Rasa option); None keeps them whole.
            "token_pattern": None,
            # Symbol between a prefix and a name (Rasa option).
            "prefix_separator_symbol": "_",
            # spaCy language used when a message's language is unknown ("xx" = multi-language).
            "fallback_language": "xx",
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualTokenizer:
        """Builds one spaCy blank pipeline per language, once."""
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._fallback = config.get("fallback_language", "xx")
        self._pipelines = {code: spacy.blank(code) for code in (*SUPPORTED, self._fallback)}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Changes when the tokenising or normalising rules change, so Rasa's training cache does not
        reuse tokens made by the old rules."""
        return source_fingerprint(__file__, text_rules.__file__)

    @staticmethod
    def required_packages() -> list[str]:
        """Packages this component imports."""
        return ["spacy"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokens of `attribute` with normalised text and original offsets."""
        text = message.get(attribute) or ""
        language = message.get("language")
        nlp = self._pipelines.get(language, self._pipelines[self._fallback])
        tokens = []
        for word in nlp.make_doc(text):
            if word.is_space or word.is_punct:
                continue
            normalised = normalise(word.text)
            if normalised:
                tokens.append(Token(normalised, word.idx, word.idx + len(word.text)))
        if not tokens and text.strip():
            # Only emoji or punctuation: keep it as one token, as Rasa's WhitespaceTokenizer does.
            tokens = [Token(text, 0, len(text))]
        return self._apply_token_pattern(tokens)
