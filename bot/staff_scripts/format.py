"""The script format, and reading a script with clear errors (file, line, what was expected).

    title: Someone collapses and does not breathe
    steps:
      - user: my friend fell down and is not breathing
        answers: emergency          # a topic: an answer id of content/catalogue*.yml
        mentions: ["112"]           # words the replies must contain (any case)
        language: en                # the language the assistant answers in
        offers: [Talk to a person]  # buttons: their title in any language, or their id (human)

Every expectation is optional; a step with only `user:` just says something.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from bot.content.store import Content, content
from bot.languages import SUPPORTED

STEP_KEYS = ("user", "answers", "mentions", "language", "offers")
SCRIPT_KEYS = ("title", "steps")


class ScriptError(Exception):
    """A mistake in a script, with where it is."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Step:
    """One thing the person says, and what should come back."""

    line: int
    user: str
    answers: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    language: str | None = None
    offers: list[str] = field(default_factory=list)


@dataclass
class Script:
    path: Path
    title: str
    steps: list[Step]

    @property
    def topic(self) -> str:
        """The file name without `.yml`: a row of the matrix."""
        return self.path.stem

    @property
    def language(self) -> str:
        """The folder name: a column of the matrix."""
        return self.path.parent.name


def topics(source: Content | None = None) -> list[str]:
    """The topic names `answers:` accepts: every answer id of the catalogue, sorted."""
    return sorted((source or content()).catalogue)


def button_titles(source: Content | None = None) -> dict[str, set[str]]:
    """Each button id with its titles in every language (casefolded)."""
    source = source or content()
    titles: dict[str, set[str]] = {button: {button.casefold()} for button in source.button_payloads}
    for language in source.languages.values():
        for button, title in language.buttons.items():
            titles.setdefault(button, {button.casefold()}).add(str(title).casefold())
    return titles


def _line(node: Any, key: Any = None, parent: Any = None) -> int:
    """1-based line of `key` in a mapping (or of an item in a sequence), else of the node itself."""
    if key is not None and isinstance(parent, CommentedMap):
        try:
            return parent.lc.key(key)[0] + 1
        except (KeyError, TypeError):
            pass
    if key is not None and isinstance(parent, CommentedSeq):
        return parent.lc.item(key)[0] + 1
    if hasattr(node, "lc") and node.lc.line is not None:
        return node.lc.line + 1
    return 1


def _suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _strings(path: Path, step: CommentedMap, key: str) -> list[str]:
    value = step[key]
    line = _line(value, key, step)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
        return [str(v) for v in value]
    raise ScriptError(path, line, f"'{key}' expects a word or a list of words, e.g. {key}: [CAK]")


def load_script(path: Path, source: Content | None = None) -> Script:
    """Reads and checks one script; raises ScriptError for the first mistake found."""
    source = source or content()
    try:
        data = YAML(typ="rt").load(path.read_text("utf-8"))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ScriptError(path, line, f"not valid YAML: {error.problem or error.context}") from None
    except UnicodeDecodeError:
        raise ScriptError(path, 1, "the file is not UTF-8 text") from None
    if not isinstance(data, CommentedMap):
        raise ScriptError(path, 1, "expected 'title:' and 'steps:' at the top of the file")
    for key in data:
        if key not in SCRIPT_KEYS:
            raise ScriptError(path, _line(data, key, data),
                              f"unknown key '{key}'{_suggest(key, SCRIPT_KEYS)}; expected 'title' and 'steps'")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise ScriptError(path, _line(data, "title", data) if "title" in data else 1,
                          "expected a title, e.g. title: Asking about costs")
    steps = data.get("steps")
    if not isinstance(steps, CommentedSeq) or not steps:
        raise ScriptError(path, _line(data, "steps", data) if "steps" in data else _line(data),
                          "expected 'steps:' with a list of steps, each starting with '- user: ...'")
    return Script(path, data["title"].strip(), [_step(path, steps, i, source) for i in range(len(steps))])


def _step(path: Path, steps: CommentedSeq, index: int, source: Content) -> Step:
    raw = steps[index]
    line = _line(raw, index, steps)
    if not isinstance(raw, CommentedMap):
        raise ScriptError(path, line, "expected a step like '- user: what you type', then its expectations")
    for key in raw:
        if key not in STEP_KEYS:
            raise ScriptError(path, _line(raw, key, raw),
                              f"unknown key '{key}'{_suggest(key, STEP_KEYS)}; expected one of {', '.join(STEP_KEYS)}")
    if not isinstance(raw.get("user"), (str, int, float)) or not str(raw["user"]).strip():
        raise ScriptError(path, line, "expected 'user:' with what the person types")
    step = Step(line=line, user=str(raw["user"]))
    if "answers" in raw:
        step.answers = _strings(path, raw, "answers")
        known = topics(source)
        for topic in step.answers:
            if topic not in known:
                raise ScriptError(path, _line(raw["answers"], "answers", raw),
                                  f"unknown topic '{topic}'{_suggest(topic, known)}; topics are listed in "
                                  "docs/staff-guide.md")
    if "mentions" in raw:
        step.mentions = _strings(path, raw, "mentions")
    if "language" in raw:
        language = str(raw["language"])
        if language not in SUPPORTED:
            raise ScriptError(path, _line(raw["language"], "language", raw),
                              f"unknown language '{language}'; expected one of {', '.join(SUPPORTED)}")
        step.language = language
    if "offers" in raw:
        step.offers = _strings(path, raw, "offers")
        titles = button_titles(source)
        every_title = set().union(*titles.values())
        for offer in step.offers:
            if offer.casefold() not in every_title:
                raise ScriptError(path, _line(raw["offers"], "offers", raw),
                                  f"no button is called '{offer}'{_suggest(offer.casefold(), sorted(every_title))}; "
                                  "use a button's title as shown, or its id (e.g. human)")
    return step
