"""Intent from the message's character and word n-grams: a linear SVM over TF-IDF features.

Measured against DIET on the same seeded folds (BENCHMARKS.md), it is more accurate in every
language on our short, misspelt, mixed-language messages, trains in seconds instead of minutes and
keeps no TensorFlow model in memory. The message's concepts (`bot.concepts`: "tandarts", "dentist" and
"دندانپزشک" are all `§dental`; a Dutch municipality is `§city`) are features too, so what one
language's examples teach helps the others. A second, smaller SVM reads the concepts alone and its
scores are added, weighted, to the first's: beside the n-grams a concept weighs little, since the
n-grams of the training examples already tell their intents apart, but on a message whose words no
example had ("شخبارك", a town never seen) the concepts are all there is, and the concept SVM has learnt
them as its only evidence. Confidences are a softmax of the summed scores; `temperature` sets how sharp
they are, so that the FallbackClassifier's threshold keeps its meaning.
"""
from __future__ import annotations

import logging
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot import concepts, phrases, places
from bot import text as text_rules
from bot.components.source_fingerprint import source_fingerprint

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent_classifier.joblib"


def classifier_text(message: Message) -> str:
    """The message as the classifier reads it: its normalised tokens, without punctuation."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return " ".join(token.text for token in tokens)


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max())
    return shifted / shifted.sum()


def _decision_scores(svm: LinearSVC, features: Any) -> np.ndarray:
    """One row per message, one score per intent, also when sklearn gives one score for two intents."""
    scores = svm.decision_function(features)
    if scores.ndim == 1:
        return np.column_stack([-scores, scores])
    return scores


class IntentModel:
    """Vectorisers, concept and place matchers and both SVMs, trained together and pickled together."""

    NO_CONCEPT = concepts.TOKEN_PREFIX + "none"
    CITY = concepts.TOKEN_PREFIX + "city"

    def __init__(self, config: dict[str, Any]) -> None:
        self.characters = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]),
                                          sublinear_tf=True)
        self.words = TfidfVectorizer(analyzer="word", ngram_range=tuple(config["word_ngrams"]),
                                     sublinear_tf=True, token_pattern=r"(?u)\S+")
        self.concept_tokens = TfidfVectorizer(analyzer="word", sublinear_tf=True, lowercase=False,
                                              token_pattern=r"(?u)\S+")
        self.concept_weight = config["concept_weight"]
        self.matcher = concepts.ConceptMatcher.from_folder()
        self.places = places.gazetteer()
        self.svm = LinearSVC(C=config["C"], random_state=config["random_seed"])
        self.concept_ngrams = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                              lowercase=False, token_pattern=r"(?u)\S+")
        self.concept_svm = LinearSVC(C=config["concept_model_C"], random_state=config["random_seed"])
        self.concept_model_weight = config["concept_model_weight"]

    def _concepts(self, texts: list[str]) -> list[str]:
        return [" ".join(self._concept_tokens(text)) or self.NO_CONCEPT for text in texts]

    def _concept_tokens(self, text: str) -> list[str]:
        tokens = self.matcher.tokens(text.split())
        if self.places.find(text):
            tokens.append(self.CITY)
        return tokens

    def features(self, texts: list[str], concept_texts: list[str] | None = None) -> Any:
        concept_texts = concept_texts or self._concepts(texts)
        return hstack([self.characters.transform(texts), self.words.transform(texts),
                       self.concept_tokens.transform(concept_texts) * self.concept_weight]).tocsr()

    def fit(self, texts: list[str], intents: list[str]) -> None:
        concept_texts = self._concepts(texts)
        self.characters.fit(texts)
        self.words.fit(texts)
        self.concept_tokens.fit(concept_texts)
        self.svm.fit(self.features(texts, concept_texts), intents)
        self.concept_svm.fit(self.concept_ngrams.fit_transform(concept_texts), intents)

    def scores(self, text: str) -> np.ndarray:
        """One score per intent (`self.svm.classes_`), higher is likelier."""
        concept_texts = self._concepts([text])
        scores = _decision_scores(self.svm, self.features([text], concept_texts))
        if self.concept_model_weight:
            concept_scores = _decision_scores(self.concept_svm, self.concept_ngrams.transform(concept_texts))
            scores = scores + self.concept_model_weight * concept_scores
        return scores[0]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Predicts the intent and a ranking with confidences from the tokens' n-grams."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Settings measured on the seeded folds of `make eval` (BENCHMARKS.md)."""
        return {
            # SVM regularisation: lower is smoother.
            "C": 0.5,
            # Character n-gram lengths, within word boundaries.
            "char_ngrams": [2, 5],
            # Word n-gram lengths.
            "word_ngrams": [1, 2],
            # Weight of the concept tokens (content/concepts/) against the n-grams; 0 turns them off.
            "concept_weight": 0.1,
            # Weight of the scores of the SVM that reads only the concepts (and pairs of them); 0 turns it off.
            "concept_model_weight": 0.2,
            # That SVM's regularisation.
            "concept_model_C": 1.0,
            # Sharpness of the softmax over SVM scores (keeps the fallback threshold's meaning).
            "temperature": 5.0,
            # How many intents the ranking lists.
            "ranking_length": 10,
            # Seed of the SVM's coordinate descent.
            "random_seed": 42,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Changes with this file, the concept matcher (and the Arabic prefixes in `bot.text` it strips)
        and the concept files, so Rasa's training cache does not reuse a model of older code or concepts."""
        return source_fingerprint(__file__, concepts.__file__, phrases.__file__, text_rules.__file__, places.__file__,
                                  *map(str, concepts.files()), *map(str, places.files()))

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn"]

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: IntentModel | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LinearIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained intent model in %s: intents will not be predicted.", resource.name)
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(classifier_text(message), message.get(INTENT)) for message in training_data.intent_examples]
        texts = [text for text, _ in examples if text]
        intents = [intent for text, intent in examples if text]
        if len(set(intents)) < 2:
            logger.warning("Fewer than two intents in the training data: no intent model trained.")
            return self._resource
        model = IntentModel(self.config)
        model.fit(texts, intents)
        self.model = model
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = classifier_text(message)
            if self.model is None or not text:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            confidences = softmax(self.model.scores(text) * self.config["temperature"])
            order = np.argsort(-confidences)[: self.config["ranking_length"]]
            ranking = [{"name": str(self.model.svm.classes_[index]), "confidence": float(confidences[index])}
                       for index in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
