"""The intent classifier trained on real training data of every language, without the rest of Rasa."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language_detector import LanguageDetector
from bot.components.linear_intent_classifier import LinearIntentClassifier
from bot.components.tokenizer import MultilingualTokenizer
from bot.evaluation import examples
from bot.languages import SUPPORTED
from bot.paths import ROOT
from bot.text import normalise
from tests.awkward import AWKWARD_STRINGS

RESOURCE = Resource("LinearIntentClassifier")
# Messages that are not in the training data, one per language, with the intent a person means.
UNSEEN = {
    "nl": ("mag de apotheek geld vragen voor mijn medicijnen als ik geen verzekering heb", "ask_pharmacy"),
    "en": ("got a letter with a bill from the hospital what do i do", "ask_bill"),
    "ar": ("هل سيخبر الطبيب الشرطة عني", "ask_privacy"),
    "fr": ("ma femme est enceinte, où peut-elle voir une sage-femme", "ask_pregnancy"),
    "es": ("me duele mucho una muela, hay dentista para mi", "ask_dental"),
    "pt": ("preciso de um intérprete para falar com o médico", "ask_interpreter"),
    "tr": ("çocuğumun aşıları için nereye gidebilirim", "ask_children"),
    "fa": ("میخوام با یه آدم واقعی حرف بزنم", "request_human"),
}


def context():
    return ExecutionContext({}, "t")


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("front"))
    return [c.create(c.get_default_config(), storage, Resource(c.__name__), context())
            for c in (LanguageDetector, MultilingualTokenizer)]


def prepare(front, texts_and_intents):
    messages = [Message(data={TEXT: text, INTENT: intent} if intent else {TEXT: text})
                for text, intent in texts_and_intents]
    for component in front:
        component.process(messages)
    return messages


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def trained(front, storage):
    rows = [(text, intent) for _, intent, text in examples(ROOT / "data" / "nlu", "*/*.yml")]
    classifier = LinearIntentClassifier.create({}, storage, RESOURCE, context())
    classifier.train(TrainingData(prepare(front, rows)))
    return classifier


def predict(front, classifier, text):
    message = prepare(front, [(text, None)])[0]
    classifier.process([message])
    return message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("language", SUPPORTED)
def test_an_unseen_message_gets_its_intent_in_every_language(front, trained, language):
    text, intent = UNSEEN[language]
    assert normalise(text) not in {normalise(t) for _, _, t in examples(ROOT / "data" / "nlu", "*/*.yml")}
    output = predict(front, trained, text)
    assert output[INTENT]["name"] == intent, output[INTENT_RANKING_KEY][:3]


def test_ranking_is_sorted_confidences_that_sum_to_at_most_one(front, trained):
    ranking = predict(front, trained, "waar vind ik een huisarts")[INTENT_RANKING_KEY]
    confidences = [entry["confidence"] for entry in ranking]
    assert len(ranking) == LinearIntentClassifier.get_default_config()["ranking_length"]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-9
    assert all(isinstance(entry["name"], str) for entry in ranking)


def test_gibberish_gets_a_low_confidence_so_the_fallback_asks_again(front, trained):
    assert predict(front, trained, "qzxv blorpt wemmick")[INTENT]["confidence"] < 0.35


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_strings_get_an_intent_or_none_without_error(front, trained, text):
    output = predict(front, trained, text)
    assert output[INTENT]["name"] is None or output[INTENT]["confidence"] > 0


def test_the_trained_model_is_loaded_back_from_the_model_storage(front, trained, storage):
    loaded = LinearIntentClassifier.load({}, storage, RESOURCE, context())
    text = "my teeth hurt so much"
    assert predict(front, loaded, text) == predict(front, trained, text)


def test_a_missing_model_predicts_nothing_instead_of_failing(front, tmp_path):
    loaded = LinearIntentClassifier.load({}, LocalModelStorage(tmp_path), RESOURCE, context())
    assert predict(front, loaded, "hallo")[INTENT] == {"name": None, "confidence": 0.0}



def test_concepts_carry_what_one_language_teaches_to_the_others(front, tmp_path):
    # Trained on English only: the Turkish and Persian words share no n-gram with it, only a concept.
    english = [("i need a dentist", "ask_dental"), ("is there a dentist for me", "ask_dental"),
               ("where is a pharmacy", "ask_pharmacy"), ("can the pharmacy give me medicine", "ask_pharmacy")]
    classifier = train_on(front, tmp_path, english)
    assert predict(front, classifier, "dişçi lazım")[INTENT]["name"] == "ask_dental"
    assert predict(front, classifier, "داروخانه کجاست")[INTENT]["name"] == "ask_pharmacy"
    without = train_on(front, tmp_path / "off", english, WITHOUT_CONCEPTS)
    assert predict(front, without, "dişçi lazım")[INTENT]["confidence"] < \
        predict(front, classifier, "dişçi lazım")[INTENT]["confidence"]


WITHOUT_CONCEPTS = {"concept_weight": 0, "concept_model_weight": 0}


def train_on(front, directory, rows, config=None):
    directory.mkdir(exist_ok=True)
    classifier = LinearIntentClassifier.create(config or {}, LocalModelStorage(directory), RESOURCE, context())
    classifier.train(TrainingData(prepare(front, rows)))
    return classifier


# Few examples, so that what decides is visible: the words of the messages below are in none of them.
SMALL = [("hello", "greet"), ("hi there", "greet"), ("good morning", "greet"),
         ("thanks a lot", "thank"), ("thank you", "thank"),
         ("amsterdam", "inform"), ("i live in rotterdam", "inform"), ("in utrecht", "inform"),
         ("my tooth hurts", "ask_dental"), ("i need a dentist", "ask_dental"),
         ("where is a pharmacy", "ask_pharmacy"), ("i need my medicine", "ask_pharmacy")]


@pytest.mark.parametrize("text, intent", [
    ("zoetermeer", "inform"), ("زوترمير", "inform"), ("ik woon in Leeuwarden", "inform"),
    ("اشلونك", "greet"), ("merhabalar", "greet"), ("shukran", "thank"),
])
def test_a_town_or_a_word_no_example_has_gets_its_intent_from_the_concepts(front, tmp_path, text, intent):
    classifier = train_on(front, tmp_path, SMALL)
    assert predict(front, classifier, text)[INTENT]["name"] == intent
    without = train_on(front, tmp_path / "off", SMALL, WITHOUT_CONCEPTS)
    assert predict(front, without, text)[INTENT]["confidence"] < predict(front, classifier, text)[INTENT]["confidence"]


def test_the_concept_model_adds_to_what_the_concept_features_alone_give(front, tmp_path):
    # A dialect greeting: without the concept SVM, the n-grams of the unknown word outweigh `§greeting`.
    classifier = train_on(front, tmp_path, SMALL)
    features_only = train_on(front, tmp_path / "features-only", SMALL, {"concept_model_weight": 0})
    greeting = "شخبارك"
    assert predict(front, classifier, greeting)[INTENT]["confidence"] > \
        predict(front, features_only, greeting)[INTENT]["confidence"]
