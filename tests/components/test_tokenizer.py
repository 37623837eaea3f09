

def test_the_training_cache_key_follows_the_normalising_rules(tmp_path, monkeypatch):
    """Rasa reuses cached tokens unless the component's fingerprint changes: it must change with bot/text.py."""
    from bot import text as text_rules
    from bot.components.tokenizer import MultilingualTokenizer

    before = MultilingualTokenizer.fingerprint_addon({})
    changed = tmp_path / "text.py"
    changed.write_text(open(text_rules.__file__, encoding="utf-8").read() + "\n# a new rule\n", "utf-8")
    monkeypatch.setattr(text_rules, "__file__", str(changed))
    assert MultilingualTokenizer.fingerprint_addon({}) != before
