"""The content files agree with the catalogue, the facts, the sources and the domain."""
import re
import string

import pytest
import yaml

from bot.content.domain_file import DOMAIN_RESPONSES, render_domain_file
from bot.content.store import content
from bot.languages import SUPPORTED
from bot.paths import ROOT

C = content()
REQUIRED_EVERYWHERE = {"emergency", "language_changed"}
FULLY_WRITTEN = SUPPORTED


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", FULLY_WRITTEN)
def test_every_answer_exists_in_every_language(language):
    assert set(C.languages[language].answers) == set(C.catalogue)
    assert set(C.languages[language].buttons) == set(C.button_payloads)


@pytest.mark.parametrize("language", SUPPORTED)
def test_emergency_answer_and_fallback_note_exist_in_every_language(language):
    answers = C.languages[language].answers
    assert REQUIRED_EVERYWHERE <= set(answers)
    assert C.languages[language].notes.get("answer_not_translated")
    assert "112" in C.render("emergency", language).messages[0]


@pytest.mark.parametrize("language", SUPPORTED)
def test_answers_use_only_known_placeholders(language):
    known = set(C.facts) | {"city"} | set(C.placeholders)
    for answer_id, answer in C.languages[language].answers.items():
        for message in answer.get("messages") or []:
            assert placeholders(message) <= known, (language, answer_id, message)


@pytest.mark.parametrize("language", SUPPORTED)
def test_translations_keep_the_english_placeholders(language):
    english = C.languages["en"].answers
    for answer_id, answer in C.languages[language].answers.items():
        ours = set().union(*(placeholders(m) for m in answer["messages"]))
        theirs = set().union(*(placeholders(m) for m in english[answer_id]["messages"]))
        assert ours == theirs, (language, answer_id)


def test_every_answer_and_fact_names_sources_that_exist_with_a_checked_date():
    for answer_id, entry in C.catalogue.items():
        for source in entry.get("sources") or []:
            assert source in C.sources, (answer_id, source)
    for name, fact in C.facts.items():
        assert fact.get("source") in C.sources, name
    for source_id, source in C.sources.items():
        assert source.get("url", "").startswith("http"), source_id
        assert source.get("checked"), source_id


def test_knowledge_answers_cite_at_least_one_source():
    conversation = {"greet", "goodbye", "thank", "anything_else", "bot_challenge", "help_menu", "language_changed",
                    "out_of_scope", "confirm_forget", "forgotten", "forget_cancelled", "inform_other",
                    "ask_rephrase", "offer_person",
                    # the refusal questions (content/catalogue-refusal.yml) state no facts
                    "refusal_ask_consent", "refusal_ask_place", "refusal_ask_problem", "refusal_ask_region",
                    "refusal_counted", "refusal_not_counted"}
    for answer_id, entry in C.catalogue.items():
        if answer_id not in conversation and not entry.get("conversation"):
            assert entry.get("sources"), answer_id


def test_buttons_of_answers_are_named_in_the_catalogue():
    for answer_id, entry in C.catalogue.items():
        for button in entry.get("buttons") or []:
            assert button in C.button_payloads, (answer_id, button)


@pytest.mark.parametrize("language", FULLY_WRITTEN)
def test_messages_are_short(language):
    for answer_id, answer in C.languages[language].answers.items():
        for message in answer["messages"]:
            filled_by_code = {name: name for name in C.placeholders}  # e.g. {organisation}: one word here
            rendered = message.format_map(C.fact_values() | filled_by_code | {"city": "Den Haag"})
            assert len(re.findall(r"\w+", rendered)) <= 60, (language, answer_id)


def test_missing_translation_falls_back_to_english_with_a_note_in_the_users_language(tmp_path):
    import shutil

    from bot.content.store import Content

    folder = tmp_path / "content"
    shutil.copytree(C.folder, folder)
    data = yaml.safe_load((folder / "tr" / "answers.yml").read_text("utf-8"))
    del data["answers"]["dental"]
    (folder / "tr" / "answers.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    rendered = Content(folder).render("dental", "tr")
    assert rendered.language == "en"
    assert rendered.messages[0] == C.languages["tr"].notes["answer_not_translated"]
    assert rendered.messages[1:] == C.render("dental", "en").messages


@pytest.mark.parametrize("language", SUPPORTED)
def test_cost_answer_mentions_the_cak(language):
    assert "CAK" in " ".join(C.render("costs", language).messages)


@pytest.mark.parametrize("language", SUPPORTED)
def test_answers_are_in_the_users_language(language):
    from bot.language_detection import detect

    # Dutch names the answers quote on purpose say nothing about the language around them.
    quoted_dutch = re.compile(
        r"\{\w+\}|Dokters van de Wereld|Landelijk Meldpunt Zorg|geen, ongedocumenteerd/onverzekerbaar"
    )
    wrong = []
    for answer_id in C.catalogue:
        text = quoted_dutch.sub(" ", " ".join(C.languages[language].answers[answer_id]["messages"]))
        detection = detect(text)
        if detection.words >= 3 and detection.language != language:
            wrong.append((answer_id, detection.language))
    assert not wrong, wrong


def test_facts_fill_placeholders_and_user_text_is_never_formatted():
    rendered = C.render("inform_city", "en", {"city": "{dvdw_phone} Breda"})
    assert "{dvdw_phone} Breda" in rendered.messages[0]
    assert "020-7653801" in " ".join(rendered.messages)


def test_domain_responses_are_generated_from_the_content():
    assert DOMAIN_RESPONSES.read_text("utf-8") == render_domain_file(), "run `make domain`"


def test_domain_declares_exactly_the_catalogue_answers():
    responses = yaml.safe_load(DOMAIN_RESPONSES.read_text("utf-8"))["responses"]
    # Answers a custom action sends itself (`from_action: true`) are not responses.
    assert set(responses) == {"utter_" + a for a, entry in C.catalogue.items() if not entry.get("from_action")}
    rules = "\n".join(p.read_text("utf-8") for p in (ROOT / "data").rglob("*.yml"))
    for name in responses:
        assert name in rules, f"{name} is used in no rule or story"
