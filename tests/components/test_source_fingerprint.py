"""Rasa reuses a cached component unless its fingerprint changes: it must change with the code it runs."""
import importlib

import pytest

from bot.components.linear_intent_classifier import LinearIntentClassifier
from bot.components.tokenizer import MultilingualTokenizer


@pytest.mark.parametrize("component, source", [
    (MultilingualTokenizer, "bot.text"),  # the normalising rules
    (LinearIntentClassifier, "bot.components.linear_intent_classifier"),
])
def test_the_training_cache_key_follows_the_code(component, source, tmp_path, monkeypatch):
    module = importlib.import_module(source)
    before = component.fingerprint_addon({})
    changed = tmp_path / "changed.py"
    changed.write_text(open(module.__file__, encoding="utf-8").read() + "\n# changed\n", "utf-8")
    monkeypatch.setattr(module, "__file__", str(changed))
    assert component.fingerprint_addon({}) != before
