"""The cross-language concept lexicon (`content/concepts/<lang>.yml`) and its matcher."""
from __future__ import annotations

import pytest
import yaml

from bot.concepts import FOLDER, ConceptMatcher, files
from bot.languages import SUPPORTED
from bot.text import normalise
from tests.awkward import AWKWARD_STRINGS


def concept_keys(language: str) -> list:
    return list(yaml.safe_load((FOLDER / f"{language}.yml").read_text("utf-8"))["concepts"])


def test_every_language_has_a_concept_file():
    assert [path.stem for path in files()] == sorted(SUPPORTED)


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_language_lists_the_same_concepts_as_english(language):
    keys = concept_keys(language)
    assert all(isinstance(key, str) for key in keys), "quote yes/no keys: YAML reads them as booleans"
    assert sorted(keys) == sorted(concept_keys("en"))


@pytest.fixture(scope="module")
def matcher() -> ConceptMatcher:
    return ConceptMatcher.from_folder()


def words(text: str) -> list[str]:
    return normalise(text).split()


@pytest.mark.parametrize("text", [
    "ik moet naar de tandarts", "I need a dentist", "j'ai besoin d'un dentiste",
    "necesito un dentista", "preciso de um dentista", "dişçiye gitmem lazım", "أحتاج طبيب أسنان",
    "به دندانپزشک نیاز دارم",
])
def test_the_dentist_is_one_concept_in_every_language(matcher, text):
    assert "dental" in matcher.concepts(words(text))


def test_a_star_makes_the_last_word_a_prefix():
    concepts = ConceptMatcher({"vaccination": ["vaccin*"], "gp": ["eigen huisarts"]})
    assert concepts.concepts(words("vaccinaties voor volwassenen")) == ["vaccination"]
    assert concepts.concepts(words("huisarts")) == []
    assert concepts.concepts(words("mijn eigen huisarts")) == ["gp"]


def test_an_arabic_word_matches_with_a_glued_prefix():
    concepts = ConceptMatcher({"hospital": ["مستشفى"]})
    assert concepts.concepts(words("رحت بالمستشفى")) == ["hospital"]
    assert concepts.concepts(words("لازم روح عالمستشفى")) == ["hospital"]


def test_each_concept_is_given_once_in_order_of_appearance():
    concepts = ConceptMatcher({"pharmacy": ["apotheek"], "medicine": ["pil*"]})
    assert concepts.tokens(words("pillen bij de apotheek, de apotheek zegt pillen")) == ["§medicine", "§pharmacy"]


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_strings_give_concepts_or_none_without_error(matcher, text):
    assert isinstance(matcher.tokens(words(text)), list)


# A word that means a concept in one language can be a common word of another (Spanish "sin" is
# "without", not Portuguese "sim"; French "j'ai" is not "AI"). Such a word must not carry the concept.
FALSE_FRIENDS = [
    ("es", "sin papeles, el huisarts me puede atender", "yes"),
    ("fr", "j ai pas de papiers", "bot"),  # the French tokenizer splits "j'ai" the same way
    ("es", "necesito un medico para mi hijo", "money"),
    ("pt", "eu nao tenho documentos", "eu_citizen"),
    ("pt", "sim, obrigado", "weather_jobs_misc"),
    ("es", "yo no tengo seguro", "greeting"),
    ("en", "can he also see the huisarts", "yes"),
    ("es", "los medicos me dijeron que no", "organisation"),
    ("fr", "je vis aux pays bas sans papiers", "money"),
    ("ar", "انساني", "who_answers"),  # "forget me", not Persian "human"
    ("fr", "il y a une dame à l'accueil", "wants"),  # French "dame", not Spanish "give me"
]


@pytest.mark.parametrize("language, text, concept", FALSE_FRIENDS)
def test_a_common_word_of_another_language_does_not_carry_a_concept(matcher, language, text, concept):
    assert concept not in matcher.concepts(words(text)), (language, text)


# "Are you a person?" asks who answers (bot_challenge); "I want a person" asks for one (request_human).
# Both name a person, so only these two concepts tell the two intents apart across languages.
# (`words` does not split punctuation off as the tokenizer does: none stands before a word to match.)
WHO_ANSWERS_AND_WANTS = [
    ("nl", "ben jij een echt mens", "ik wil een mens spreken"),
    ("en", "am I talking to a real person", "I want to talk to a person"),
    ("fr", "est-ce que je parle à une vraie personne ?", "je veux parler à un humain"),
    ("es", "con quién hablo ahora", "quiero hablar con una persona"),
    ("pt", "você é uma pessoa de verdade", "quero falar com uma pessoa"),
    ("tr", "sen gerçek bir insan mısın", "bir insanla konuşmak istiyorum"),
    ("fa", "با کی دارم حرف میزنم، آدمی", "میخوام با یه آدم حرف بزنم"),
    ("ar", "مين عم يرد علي، انسان", "بدي احكي مع انسان"),
]


@pytest.mark.parametrize("language, asks, wants", WHO_ANSWERS_AND_WANTS)
def test_asking_who_answers_and_asking_for_a_person_are_different_concepts(matcher, language, asks, wants):
    asked, wanted = matcher.concepts(words(asks)), matcher.concepts(words(wants))
    assert "who_answers" in asked and "wants" not in asked
    assert "wants" in wanted and "who_answers" not in wanted


@pytest.mark.parametrize("text", [
    "wat moet ik meenemen naar de huisarts", "what do I need to bring to the doctor",
    "je dois apporter quoi chez le médecin", "qué tengo que llevar al médico",
    "o que devo levar ao médico", "doktora yanımda ne götürmem lazım", "برای دکتر چی ببرم",
    "شو لازم اجيب معي عالدكتور",
])
def test_what_to_bring_is_about_documents_in_every_language(matcher, text):
    assert "documents" in matcher.concepts(words(text))
