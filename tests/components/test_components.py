"""The custom NLU components on real Rasa messages, without a trained model."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.city_extractor import CityExtractor
from bot.components.danger_sign_classifier import DangerSignClassifier
from bot.components.language_detector import LanguageDetector
from bot.components.tokenizer import MultilingualTokenizer
from bot.languages import SUPPORTED
from tests.awkward import AWKWARD_STRINGS, SAMPLES


def build(component_class, tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    config = {**component_class.get_default_config()}
    return component_class.create(config, storage, Resource(component_class.__name__), ExecutionContext({}, "t"))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    return [build(c, tmp_path_factory) for c in (LanguageDetector, MultilingualTokenizer, CityExtractor)]


@pytest.fixture(scope="module")
def danger(tmp_path_factory):
    return build(DangerSignClassifier, tmp_path_factory)


def parse(pipeline, text, metadata=None):
    message = Message(data={TEXT: text, "metadata": metadata or {}})
    for component in pipeline:
        component.process([message])
    return message


@pytest.mark.parametrize("language", SUPPORTED)
def test_language_is_a_top_level_key_of_the_parse_result(pipeline, language):
    message = parse(pipeline, SAMPLES[language])
    output = message.as_dict(only_output_properties=True)
    assert output["language"] == language
    assert output["language_detection"]["words"] >= 3
    assert next(iter(output["language_detection"]["scores"])) == language


def test_channel_language_is_reported_beside_the_detection(pipeline):
    message = parse(pipeline, "ok", {"language": "fa"})
    assert message.get("language_detection")["channel_language"] == "fa"


@pytest.mark.parametrize(
    "text, code",
    [("speak Arabic please", "ar"), ("in het Nederlands graag", "nl"), ("en français svp", "fr"),
     ("بالعربي لو سمحت", "ar"), ("فارسی لطفا", "fa"), ("türkçe konuş", "tr"), ("em português", "pt"),
     ("en español por favor", "es"), ("English please", "en")],
)
def test_requested_language_becomes_an_entity(pipeline, text, code):
    entities = [e for e in parse(pipeline, text).get(ENTITIES) if e["entity"] == "language"]
    assert [e["value"] for e in entities] == [code]
    assert text[entities[0]["start"]:entities[0]["end"]]


def test_city_entity_has_the_dutch_name_and_the_typed_span(pipeline):
    text = "je vis à La Haye depuis 2 ans"
    city = [e for e in parse(pipeline, text).get(ENTITIES) if e["entity"] == "city"][0]
    assert city["value"] == "Den Haag"
    assert text[city["start"]:city["end"]] == "La Haye"
    assert city["extractor"] == "CityExtractor"


def test_tokens_are_normalised_but_keep_original_offsets(pipeline):
    text = "أريدُ طبيباً في روتردام"
    tokens = parse(pipeline, text).get("text_tokens")
    assert [t.text for t in tokens][0] == "اريد"
    assert all(text[t.start:t.end] for t in tokens)


def test_farsi_zwnj_variants_tokenise_alike(pipeline):
    with_zwnj = [t.text for t in parse(pipeline, "می‌خواهم دکتر").get("text_tokens")]
    without = [t.text for t in parse(pipeline, "میخواهم دكتر").get("text_tokens")]
    assert with_zwnj == without


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_strings_pass_every_component(pipeline, danger, text):
    message = parse(pipeline, text)
    message.set(INTENT, {"name": "greet", "confidence": 0.9})
    danger.process([message])
    assert message.get("language") in (*SUPPORTED, None)


def test_training_examples_are_tagged_with_their_language(pipeline):
    data = TrainingData([Message(data={TEXT: SAMPLES["tr"], INTENT: "ask_entitlement"})])
    pipeline[0].process_training_data(data)
    pipeline[1].process_training_data(data)
    assert data.training_examples[0].get("language") == "tr"


@pytest.mark.parametrize(
    "text",
    ["my father is not breathing", "mijn moeder is bewusteloos", "أخي لا يتنفس", "il ne respire plus",
     "mi hijo no respira", "meu pai não está respirando", "babam nefes almıyor", "پدرم نفس نمی‌کشد"],
)
def test_danger_sign_turns_any_intent_into_the_emergency_question(danger, text):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.2})
    message.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.2}])
    danger.process([message])
    assert message.get(INTENT) == {"name": "ask_emergency", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "ask_emergency"
    assert message.get("danger_sign")["phrase"]


def test_harmless_question_keeps_its_intent(danger):
    message = Message(data={TEXT: "how much does a visit to the GP cost"})
    message.set(INTENT, {"name": "ask_costs", "confidence": 0.9})
    danger.process([message])
    assert message.get(INTENT)["name"] == "ask_costs"
