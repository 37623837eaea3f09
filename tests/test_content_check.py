import datetime as dt
import shutil

from bot.content.check import check
from bot.content.store import Content
from bot.paths import content_dir


def copy_of_content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(content_dir(), folder)
    return folder


def test_project_content_passes_the_check():
    assert check().errors == []


def test_a_broken_placeholder_and_a_long_message_are_errors(tmp_path):
    folder = copy_of_content(tmp_path)
    path = folder / "nl" / "answers.yml"
    text = path.read_text("utf-8")
    text = text.replace("Bel {dvdw_phone}.", "Bel {dvdw_telefoon}.", 1)
    text = text.replace("Graag gedaan. Het ga u goed.", "woord " * 61)
    path.write_text(text, "utf-8")
    errors = check(Content(folder)).errors
    assert any("unknown placeholders" in e for e in errors)
    assert any("more than 60 words" in e for e in errors)


def test_old_sources_are_reported_as_stale():
    report = check(today=dt.date(2030, 1, 1))
    assert any("more than 180 days" in w for w in report.warnings)
