"""Redaction of identifiers, measured on realistic messages in every language."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.languages import SUPPORTED
from bot.privacy.redaction import is_bsn, is_iban, redact, redact_value
from tests.awkward import AWKWARD_STRINGS, SAMPLES

MESSAGES = yaml.safe_load((Path(__file__).parent / "redaction_messages.yml").read_text("utf-8"))


def score(language: str) -> dict[str, float]:
    """Recall (identifiers removed) and precision (messages changed only where they should be)."""
    identifiers = removed = changes = right_changes = 0
    for case in MESSAGES[language]:
        found: list[str] = []
        result = redact(case["text"], found)
        identifiers += len(case["found"])
        removed += sum(1 for part in case["found"] if part not in result)
        changes += len(found)
        # A change is right when the message had identifiers and every one of them is gone.
        right_changes += len(found) if case["found"] and all(p not in result for p in case["found"]) else 0
    return {"recall": removed / identifiers, "precision": right_changes / changes if changes else 1.0}


def test_every_language_has_redaction_cases():
    assert set(MESSAGES) == set(SUPPORTED)


@pytest.mark.parametrize("language", SUPPORTED)
def test_identifiers_are_removed_in_every_language(language):
    for case in MESSAGES[language]:
        result = redact(case["text"])
        for part in case["found"]:
            assert part not in result, (case["text"], result)


@pytest.mark.parametrize("language", SUPPORTED)
def test_messages_without_identifiers_are_unchanged(language):
    for case in MESSAGES[language]:
        if not case["found"]:
            assert redact(case["text"]) == case["text"]
    assert redact(SAMPLES[language]) == SAMPLES[language]


@pytest.mark.parametrize("language", SUPPORTED)
def test_redaction_scores(language):
    figures = score(language)
    assert figures["recall"] == 1.0 and figures["precision"] == 1.0, figures


def test_bsn_eleven_test_and_the_placeholder():
    assert is_bsn("111222333") and is_bsn("123456782")
    assert not is_bsn("123456789")
    assert redact("bsn 123456789") == "bsn 123456789"  # fails the 11-test: not a BSN
    assert redact("BSN 000000000") == "BSN 000000000"  # what the GP is told to enter


def test_iban_checksum():
    assert is_iban("NL91 ABNA 0417 1643 00") and is_iban("ES9121000418450200051332")
    assert not is_iban("ES0021000418450200051332")


def test_public_contact_details_of_the_assistant_are_kept():
    text = "Bel 112 of de helpdesk 020-7653801, zorgrecht@doktersvandewereld.org"
    assert redact(text) == text


def test_event_structure_is_kept_and_user_text_redacted():
    event = {"event": "user", "text": "mail a@b.nl", "parse_data": {"intent": {"name": "inform"},
             "entities": [{"entity": "city", "value": "06-12345678"}]}, "message_id": "0612345678ab"}
    redacted = redact_value(event)
    assert redacted["text"] == "mail [e-mail]" and redacted["parse_data"]["entities"][0]["value"] == "[phone]"
    assert redacted["event"] == "user" and redacted["message_id"] == "0612345678ab"


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_strings_do_not_break_redaction(text):
    assert isinstance(redact(text), str)


def _training_and_held_out_examples() -> list[tuple[str, str]]:
    """(intent, text) of every training and held-out example, entity annotations removed."""
    from bot.bench.understanding import plain
    from bot.evaluation import examples
    from bot.paths import ROOT

    rows = examples(ROOT / "data" / "nlu", "*/*.yml") + examples(ROOT / "tests" / "nlu", "*.yml")
    return [(intent, plain(text)) for _, intent, text in rows]


def _gives_a_phone_number(intent: str, text: str) -> bool:
    """The handoff form's answers with a call-back number ("my number is 06 ..."), trained as `inform`."""
    return intent == "inform" and sum(character.isdigit() for character in text) >= 8


def _questions_people_ask() -> list[str]:
    """Real questions without identifiers: every example except the phone numbers given on purpose."""
    return [text for intent, text in _training_and_held_out_examples() if not _gives_a_phone_number(intent, text)]


def test_phone_numbers_given_as_answers_are_redacted():
    answers = [text for intent, text in _training_and_held_out_examples() if _gives_a_phone_number(intent, text)]
    assert len(answers) >= 6 * 8
    assert [text for text in answers if redact(text) == text] == []


def test_ordinary_questions_are_left_alone():
    texts = _questions_people_ask()
    changed = [text for text in texts if redact(text) != text]
    assert len(texts) > 5000
    assert len(changed) <= len(texts) / 1000, changed[:10]
