"""`python -m bot.staff_scripts` against a real Rasa server: pass, fail and malformed, with file and line."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from bot.staff_scripts.__main__ import main

pytestmark = pytest.mark.server

PASSING = """title: A danger sign in English
steps:
  - user: my friend fell down and is not breathing
    answers: emergency
    mentions: ["112"]
    language: en
"""
FAILING = """title: Expects the wrong answer
steps:
  - user: my friend fell down and is not breathing
    answers: emergency
  - user: how much do i pay for the doctor without insurance
    answers: pharmacy
    mentions: [<b>never said</b>]
"""
MALFORMED = """title: A typo in a topic
steps:
  - user: hello
    answers: emergncy
"""


def scripts(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "scripts" / "en"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / f"{name}.yml").write_text(text, "utf-8")
    return folder.parent


def run(servers, folder: Path, report: Path, capsys) -> tuple[int, str]:
    code = main([str(folder), "--url", servers.rasa, "--token", servers.token, "--report", str(report)])
    return code, capsys.readouterr().out


def test_a_passing_script_passes(servers, tmp_path, capsys):
    report = tmp_path / "report.html"
    code, out = run(servers, scripts(tmp_path, emergency=PASSING), report, capsys)
    assert code == 0, out
    assert out.strip().endswith("1 passed, 0 failed")
    assert "emergency" in out and "pass" in out
    page = report.read_text("utf-8")
    assert "my friend fell down and is not breathing" in page and "112" in page


def test_a_failing_script_fails_with_file_line_and_the_actual_reply(servers, tmp_path, capsys):
    report = tmp_path / "report.html"
    folder = scripts(tmp_path, emergency=PASSING, costs=FAILING)
    code, out = run(servers, folder, report, capsys)
    assert code == 1
    assert out.strip().endswith("1 passed, 1 failed")
    path = folder / "en" / "costs.yml"
    assert f"{path}:5: expected answers: pharmacy; got: costs" in out
    assert f"{path}:5: expected mentions: <b>never said</b>" in out
    assert f"{path}:3:" not in out  # the first step of that script passed
    page = report.read_text("utf-8")
    assert "<b>never said</b>" not in page and html.escape("<b>never said</b>") in page
    assert "FAIL" in page


def test_a_malformed_script_is_reported_and_counts_as_failed(servers, tmp_path, capsys):
    folder = scripts(tmp_path, emergency=PASSING, broken=MALFORMED)
    code, out = run(servers, folder, tmp_path / "report.html", capsys)
    assert code == 1
    assert f"{folder / 'en' / 'broken.yml'}:4: unknown topic 'emergncy' (did you mean 'emergency'?)" in out
    assert out.strip().endswith("1 passed, 1 failed")
