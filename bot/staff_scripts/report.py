"""The matrix (topics × languages) for the terminal, and the HTML report for people."""
from __future__ import annotations

import html
from pathlib import Path

from bot.languages import RIGHT_TO_LEFT, SUPPORTED
from bot.staff_scripts.runner import ScriptResult

PASS, FAIL, NONE = "pass", "FAIL", "-"


def _cell(results: list[ScriptResult]) -> str:
    if not results:
        return NONE
    return PASS if all(r.passed for r in results) else FAIL


def _grid(results: list[ScriptResult]) -> tuple[list[str], list[str], dict[tuple[str, str], list[ScriptResult]]]:
    languages = list(SUPPORTED) + sorted({r.language for r in results} - set(SUPPORTED))
    topics = sorted({r.topic for r in results})
    grid: dict[tuple[str, str], list[ScriptResult]] = {}
    for result in results:
        grid.setdefault((result.topic, result.language), []).append(result)
    return topics, languages, grid


def matrix_text(results: list[ScriptResult]) -> str:
    """Topics as rows, languages as columns; each cell pass, FAIL or - (no script)."""
    topics, languages, grid = _grid(results)
    width = max([len("topic")] + [len(t) for t in topics])
    lines = ["topic".ljust(width) + "  " + "  ".join(language.ljust(4) for language in languages)]
    for topic in topics:
        lines.append(topic.ljust(width) + "  " + "  ".join(
            _cell(grid.get((topic, language), [])).ljust(4) for language in languages))
    return "\n".join(lines)


def summary_line(results: list[ScriptResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"


def failures_text(results: list[ScriptResult]) -> str:
    """What failed, with file and line, for the terminal."""
    lines = []
    for result in results:
        if result.error is not None:
            lines.append(f"{result.error.path}:{result.error.line}: {result.error.message}")
        for step in result.steps:
            if step.error:
                lines.append(f"{result.path}:{step.step.line}: {step.error}")
            for check in step.checks:
                if not check.passed:
                    lines.append(f"{result.path}:{step.step.line}: expected {check.expectation}; {check.detail}")
    return "\n".join(lines)


def _anchor(result: ScriptResult) -> str:
    return f"{result.language}-{result.topic}"


def _reply_html(reply: dict) -> str:
    esc = html.escape
    parts = []
    if reply.get("text"):
        parts.append(f'<p dir="auto">{esc(str(reply["text"])).replace(chr(10), "<br>")}</p>')
    if reply.get("image"):
        parts.append(f'<p>[image] {esc(str(reply["image"]))}</p>')
    if reply.get("buttons"):
        parts.append("<p>" + " ".join(
            f'<span class="button" dir="auto" title="{esc(str(b.get("payload", "")))}">'
            f'{esc(str(b.get("title", "")))}</span>'
            for b in reply["buttons"]) + "</p>")
    if reply.get("custom") is not None:
        parts.append(f"<pre>{esc(str(reply['custom']))}</pre>")
    return '<div class="reply">' + "".join(parts) + "</div>"


def _script_html(result: ScriptResult) -> str:
    esc = html.escape
    status = PASS if result.passed else FAIL
    direction = "rtl" if result.language in RIGHT_TO_LEFT else "ltr"
    head = (f'<section id="{esc(_anchor(result))}" class="{status.lower()}"><h2>{esc(status)}: '
            f'{esc(result.title or result.topic)}</h2><p class="file">{esc(str(result.path))} '
            f"({result.seconds:.1f} s)</p>")
    if result.error is not None:
        return head + (f'<p class="error">line {result.error.line}: {esc(result.error.message)}</p></section>')
    rows = []
    for step in result.steps:
        checks = "".join(
            f'<li class="{"ok" if c.passed else "bad"}">{"✓" if c.passed else "✗"} {esc(c.expectation)}'
            + (f" <small>{esc(c.detail)}</small>" if c.detail and not c.passed else "") + "</li>"
            for c in step.checks)
        if step.error:
            checks += f'<li class="bad">✗ {esc(step.error)}</li>'
        replies = "".join(_reply_html(reply) for reply in step.replies) or "<p><em>no reply</em></p>"
        answered = esc(", ".join(step.answered) or "-")
        rows.append(
            f'<tr><td class="line">{step.step.line}</td><td dir="{direction}">{esc(step.step.user)}</td>'
            f"<td><ul>{checks or '<li>(no expectations)</li>'}</ul><small>answers given: {answered}; "
            f"language: {esc(str(step.language))}</small></td><td>{replies}</td></tr>")
    return head + ("<table><thead><tr><th>line</th><th>the person says</th><th>expected</th>"
                   "<th>the assistant replied</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>")


STYLE = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:1.5rem;line-height:1.4}
table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top}
.pass h2,td.pass{color:#1d5e20}.fail h2,td.fail{color:#8b1111;font-weight:bold}.file{color:#555}
li.bad{color:#8b1111}li.ok{color:#1d5e20}ul{margin:0;padding-left:1rem;list-style:none}
.button{display:inline-block;border:1px solid #7a1f1f;border-radius:1rem;padding:0 .5rem;margin:.1rem}
.reply{border-left:3px solid #ddd;padding-left:.5rem;margin-bottom:.3rem}.line{color:#777}"""


def write_html(results: list[ScriptResult], path: Path) -> None:
    """The report: the matrix (cells link to the scripts), then every script step by step."""
    esc = html.escape
    topics, languages, grid = _grid(results)
    head = "".join(f"<th>{esc(language)}</th>" for language in languages)
    body = []
    for topic in topics:
        cells = []
        for language in languages:
            found = grid.get((topic, language), [])
            cell = _cell(found)
            link = f'<a href="#{esc(_anchor(found[0]))}">{cell}</a>' if found else cell
            cells.append(f'<td class="{cell.lower() if found else ""}">{link}</td>')
        body.append(f"<tr><th>{esc(topic)}</th>{''.join(cells)}</tr>")
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conversation scripts</title>'
        f"<style>{STYLE}</style></head><body><h1>Conversation scripts: {esc(summary_line(results))}</h1>"
        f"<table><thead><tr><th>topic</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + "".join(_script_html(result) for result in sorted(results, key=lambda r: (r.passed, r.language, r.topic)))
        + "</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, "utf-8")
