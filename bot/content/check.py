"""`make content-check`: is every answer present, sourced, dated, consistent and short, per language?

Prints a table per language and the problems found; exits non-zero on errors (a missing answer or
button title, unknown or mismatched placeholders or links, a message over 60 words, a missing source
or date). Unreviewed drafts are listed in reports/content/to_review.md; stale sources (checked more
than 180 days ago) are warnings.
"""
from __future__ import annotations

import datetime as dt
import re
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.store import Content, content
from bot.languages import FALLBACK, SUPPORTED
from bot.paths import ROOT

_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:nl|org|com)\b(?:/\S*)?")
REVIEW_LIST = ROOT / "reports" / "content" / "to_review.md"
MAX_WORDS_PER_MESSAGE = 60
STALE_AFTER_DAYS = 180


@dataclass
class Report:
    """What the check found."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    unreviewed: dict[str, list[str]] = field(default_factory=dict)


def _placeholders(messages: list[str]) -> set:
    return {name for m in messages for _, name, _, _ in string.Formatter().parse(m) if name}


def _links(messages: list[str]) -> set:
    return {link.rstrip(".,") for m in messages for link in _LINK.findall(m)}


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def check(source: Content | None = None, today: dt.date | None = None) -> Report:
    """Runs every check over `source` (the project's content by default)."""
    source = source or content()
    today = today or dt.date.today()
    report = Report()
    known = set(source.facts) | {"city"} | set(source.placeholders)
    english = source.languages[FALLBACK].answers
    for answer_id, entry in source.catalogue.items():
        for source_id in entry.get("sources") or []:
            if source_id not in source.sources:
                report.errors.append(f"{answer_id}: unknown source '{source_id}'")
        for button in entry.get("buttons") or []:
            if button not in source.button_payloads:
                report.errors.append(f"{answer_id}: unknown button '{button}'")
    for source_id, item in source.sources.items():
        checked = item.get("checked")
        if not checked:
            report.errors.append(f"source {source_id}: no checked date")
        elif (today - _date(checked)).days > STALE_AFTER_DAYS:
            report.warnings.append(f"source {source_id}: last checked {checked}, more than {STALE_AFTER_DAYS} days ago")
    for language in SUPPORTED:
        answers = source.languages[language].answers
        long_messages = 0
        for answer_id, answer in answers.items():
            if answer_id not in source.catalogue:
                report.errors.append(f"{language}/{answer_id}: not in content/catalogue.yml")
                continue
            messages = answer.get("messages") or []
            if not messages:
                report.errors.append(f"{language}/{answer_id}: no messages")
            unknown = _placeholders(messages) - known
            if unknown:
                report.errors.append(f"{language}/{answer_id}: unknown placeholders {sorted(unknown)}")
            if answer_id in english and _placeholders(messages) != _placeholders(english[answer_id]["messages"]):
                report.errors.append(f"{language}/{answer_id}: placeholders differ from English")
            if answer_id in english and _links(messages) != _links(english[answer_id]["messages"]):
                report.errors.append(f"{language}/{answer_id}: links differ from English")
            for message in messages:
                if _words(message) > MAX_WORDS_PER_MESSAGE:
                    long_messages += 1
                    report.errors.append(
                        f"{language}/{answer_id}: a message has more than {MAX_WORDS_PER_MESSAGE} words"
                    )
        missing = [a for a in source.catalogue if a not in answers]
        for answer_id in missing:
            report.errors.append(f"{language}/{answer_id}: missing (shown in English with a note until translated)")
        for button in source.button_payloads:
            if button not in source.languages[language].buttons:
                report.errors.append(f"{language}: no title for button '{button}'")
        unreviewed = [a for a, entry in answers.items() if not entry.get("reviewed")]
        report.unreviewed[language] = unreviewed
        report.rows.append({
            "language": language,
            "answers": f"{len(answers)}/{len(source.catalogue)}",
            "missing": len(missing),
            "unreviewed": len(unreviewed),
            "buttons": f"{len(source.languages[language].buttons)}/{len(source.button_payloads)}",
            "long": long_messages,
        })
    return report


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def write_review_list(report: Report, path: Path) -> None:
    """Writes the drafts no person has reviewed yet, per language, for NGO reviewers."""
    lines = [
        "# Answers waiting for a person's review",
        "",
        "Generated by `make content-check`. Set `reviewed: true` in the answer (under `content/<lang>/`) after review.",
        "",
    ]
    for language, answers in report.unreviewed.items():
        lines.append(f"- **{language}** ({len(answers)}): " + (", ".join(answers) or "all reviewed"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def main() -> int:
    report = check()
    write_review_list(report, REVIEW_LIST)
    print("language  answers  missing  unreviewed  buttons  long")
    for row in report.rows:
        print(f"{row['language']:<9} {row['answers']:<8} {row['missing']:<8} {row['unreviewed']:<11} "
              f"{row['buttons']:<8} {row['long']}")
    for warning in report.warnings:
        print("warning:", warning)
    for error in report.errors:
        print("error:", error)
    print(f"{len(report.errors)} errors, {len(report.warnings)} warnings; drafts to review: {REVIEW_LIST}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
