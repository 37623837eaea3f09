"""Reading staff scripts: good ones load; every mistake is reported with its file and line."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.content.store import content
from bot.staff_scripts.format import ScriptError, Step, load_script, topics
from bot.staff_scripts.runner import answers_of_last_turn, check_step
from bot.staff_scripts.topics import GUIDE, TOPICS_END, TOPICS_START, topics_markdown

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def write(tmp_path: Path, text: str, name: str = "costs.yml") -> Path:
    folder = tmp_path / "en"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    return path


def test_every_shipped_script_loads():
    paths = sorted(SCRIPTS.glob("*/*.yml"))
    assert {p.parent.name for p in paths} == {"nl", "en", "ar", "fr", "es", "pt", "tr", "fa"}
    for path in paths:
        assert load_script(path).steps


def test_each_language_has_the_four_required_scripts():
    for folder in SCRIPTS.iterdir():
        assert {"emergency", "costs", "card_gp", "person"} <= {p.stem for p in folder.glob("*.yml")}, folder


def test_a_good_script_keeps_its_steps_and_lines(tmp_path):
    path = write(tmp_path, """
        title: Asking about costs
        steps:
          - user: do i have to pay
            answers: costs
            mentions: [CAK, "112"]
            language: en
            offers: [human, Talk to a person]
          - user: thanks
    """)
    script = load_script(path)
    assert script.title == "Asking about costs"
    assert (script.topic, script.language) == ("costs", "en")
    first, second = script.steps
    assert (first.line, first.answers, first.mentions, first.language) == (3, ["costs"], ["CAK", "112"], "en")
    assert first.offers == ["human", "Talk to a person"]
    assert (second.line, second.user, second.answers) == (8, "thanks", [])


@pytest.mark.parametrize("text, line, expected", [
    ("title: x\nsteps:\n  - user: hi\n    answers: cost\n", 4, "unknown topic 'cost' (did you mean 'costs'?)"),
    ("title: x\nsteps:\n  - user: hi\n    answer: costs\n", 4, "unknown key 'answer' (did you mean 'answers'?)"),
    ("title: x\nsteps:\n  - user: hi\n  - answers: costs\n", 4, "expected 'user:'"),
    ("title: x\nsteps:\n  - user: hi\n    language: xx\n", 4, "unknown language 'xx'"),
    ("title: x\nsteps:\n  - user: hi\n    offers: [Talk to a persn]\n", 4, "no button is called 'Talk to a persn'"),
    ("title: x\nsteps:\n  - user: hi\n    mentions: {a: b}\n", 4, "'mentions' expects a word or a list"),
    ("title: x\nsteps:\n  - user: hi\n   answers: costs\n", 4, "not valid YAML"),
    ("title: x\nsteps:\n\t- user: hi\n", 3, "not valid YAML"),
    ("steps:\n  - user: hi\n", 1, "expected a title"),
    ("title: x\n", 1, "expected 'steps:'"),
    ("title: x\nsteps: hello\n", 2, "expected 'steps:'"),
    ("- user: hi\n", 1, "expected 'title:' and 'steps:'"),
    ("", 1, "expected 'title:' and 'steps:'"),
])
def test_a_mistake_is_reported_with_file_line_and_what_was_expected(tmp_path, text, line, expected):
    path = write(tmp_path, text)
    with pytest.raises(ScriptError) as raised:
        load_script(path)
    assert raised.value.path == path
    assert raised.value.line == line, raised.value
    assert expected in raised.value.message
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_a_file_that_is_not_text_is_reported(tmp_path):
    path = tmp_path / "en" / "bad.yml"
    path.parent.mkdir()
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScriptError, match="not UTF-8"):
        load_script(path)


def test_topics_are_the_catalogue_answer_ids():
    assert topics() == sorted(content().catalogue)
    assert {"emergency", "costs", "card_gp", "pharmacy", "refusal_letter"} <= set(topics())


def test_the_staff_guide_lists_exactly_the_current_topics():
    text = GUIDE.read_text("utf-8")
    listed = text.split(TOPICS_START)[1].split(TOPICS_END)[0].strip()
    assert listed == topics_markdown(), "run: .venv/bin/python -m bot domain"


def test_check_step_passes_and_fails_each_expectation():
    step = Step(line=3, user="x", answers=["costs"], mentions=["cak"], language="ar", offers=["Talk to a person"])
    replies = [{"text": "Het CAK betaalt", "buttons": [{"title": "التحدث مع شخص", "payload": "/request_human"}]}]
    assert all(check.passed for check in check_step(step, replies, ["costs"], "ar"))
    failed = check_step(step, [{"text": "nothing"}], ["pharmacy"], "nl")
    assert [check.passed for check in failed] == [False, False, False, False]
    assert "got: pharmacy" in failed[0].detail
    assert "answered in nl" in failed[2].detail


def test_the_answer_comes_from_the_tracker_not_the_text():
    tracker = {"events": [
        {"event": "user", "text": "first"},
        {"event": "bot", "text": "old", "metadata": {"utter_action": "utter_greet"}},
        {"event": "user", "text": "what do I say"},
        {"event": "action", "name": "utter_what_to_tell_gp"},
        {"event": "bot", "text": "a", "metadata": {"utter_action": "utter_what_to_tell_gp"}},
        {"event": "bot", "text": "b", "metadata": {"utter_action": "utter_card_gp"}},
    ]}
    assert answers_of_last_turn(tracker, content()) == ["what_to_tell_gp", "card_gp"]


def test_shipped_scripts_are_not_copied_from_the_training_or_held_out_data():
    import re

    import yaml

    from bot.text import normalise

    root = SCRIPTS.parent.parent
    known = set()
    for path in [*(root / "data" / "nlu").rglob("*.yml"), *(root / "tests" / "nlu").glob("*.yml")]:
        for block in yaml.safe_load(path.read_text("utf-8")).get("nlu") or []:
            lines = str(block.get("examples") or "").splitlines()
            known |= {normalise(re.sub(r"^\s*-\s?", "", line)) for line in lines}
    copied = [(p.name, s.user) for p in SCRIPTS.glob("*/*.yml") for s in load_script(p).steps
              if normalise(s.user) in known]
    assert not copied, copied
