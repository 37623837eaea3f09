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


def test_a_missing_translation_and_a_changed_link_are_errors(tmp_path):
    import yaml

    folder = copy_of_content(tmp_path)
    path = folder / "fr" / "answers.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    del data["answers"]["dental"]
    data["answers"]["costs"]["messages"][0] += " Voir www.example.org."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    errors = check(Content(folder)).errors
    assert "fr/dental: missing (shown in English with a note until translated)" in errors
    assert "fr/costs: links differ from English" in errors
