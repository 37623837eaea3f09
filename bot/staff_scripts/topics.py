"""The topic list of docs/staff-guide.md, generated from the catalogue so that it cannot drift.

`python -m bot domain` (run after every content change, and by `make train`) rewrites it together
with domain/responses.yml; `python -m bot.staff_scripts --update-guide` rewrites only the list.
"""
from __future__ import annotations

from bot.paths import ROOT

GUIDE = ROOT / "docs" / "staff-guide.md"
TOPICS_START, TOPICS_END = "<!-- topics:start -->", "<!-- topics:end -->"


def topics_markdown() -> str:
    """The topic list of docs/staff-guide.md, generated from the catalogue."""
    from bot.content.store import content
    from bot.staff_scripts.format import topics

    source = content()
    english = source.languages["en"].answers
    lines = []
    for topic in topics(source):
        first = ((english.get(topic) or {}).get("messages") or [""])[0].replace("|", "/").replace("\n", " ")
        lines.append(f"| `{topic}` | {first[:90] + ('…' if len(first) > 90 else '')} |")
    return "| topic | the English answer starts with |\n|---|---|\n" + "\n".join(lines)


def update_guide() -> bool:
    """Rewrites the topic list between the markers in docs/staff-guide.md; whether it changed."""
    text = GUIDE.read_text("utf-8")
    before, _, rest = text.partition(TOPICS_START)
    _, _, after = rest.partition(TOPICS_END)
    updated = f"{before}{TOPICS_START}\n{topics_markdown()}\n{TOPICS_END}{after}"
    if updated != text:
        GUIDE.write_text(updated, "utf-8")
    return updated != text
