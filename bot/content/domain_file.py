"""Writes `domain/responses.yml` from the content, so the domain names every response.

Rasa needs every `utter_*` in the domain to train and validate. The English text is kept there as
the response Rasa would use without our NLG (e.g. `rasa shell` with another endpoints file); the
text users see comes from `bot.nlg.ContentNLG`. A test fails when this file is out of date.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.content.store import RESPONSE_PREFIX, Content, content
from bot.languages import FALLBACK
from bot.paths import ROOT

DOMAIN_RESPONSES = ROOT / "domain" / "responses.yml"
HEADER = "# Generated from content/ by `python -m bot content domain`: do not edit by hand.\n"


def domain_responses(source: Content) -> dict[str, Any]:
    """The `responses:` section: one English variation per answer."""
    responses = {}
    for answer_id, entry in source.catalogue.items():
        if entry.get("from_action"):
            continue  # sent by a custom action that renders it itself, never as `utter_<id>`
        rendered = source.render(answer_id, FALLBACK)
        variation: dict[str, Any] = {"text": "\n\n".join(rendered.messages)}
        if rendered.buttons:
            variation["buttons"] = rendered.buttons
        responses[RESPONSE_PREFIX + answer_id] = [variation]
    return {"version": "3.1", "responses": responses}


def render_domain_file(source: Content | None = None) -> str:
    """The text of `domain/responses.yml`."""
    body = yaml.safe_dump(domain_responses(source or content()), allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def write_domain_file(path: Path = DOMAIN_RESPONSES) -> bool:
    """Writes the file if it changed; returns whether it did."""
    text = render_domain_file()
    if path.exists() and path.read_text("utf-8") == text:
        return False
    path.write_text(text, "utf-8")
    return True
