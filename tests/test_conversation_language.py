from bot.conversation_language import UserTurn, language_after, metadata_language, previous_metadata_language


def turn(**kwargs):
    return UserTurn(**kwargs)


def test_language_stays_arabic_after_short_latin_reply():
    assert language_after(turn(detected="en", confidence=0.3, words=1), current="ar") == "ar"


def test_emoji_never_changes_the_language():
    assert language_after(turn(detected=None, words=0), current="fa") == "fa"


def test_confident_message_of_three_words_switches():
    assert language_after(turn(detected="tr", confidence=0.9, words=4), current="nl") == "tr"


def test_message_that_was_not_understood_does_not_switch():
    gibberish = turn(intent="nlu_fallback", detected="tr", confidence=0.9, words=4)
    assert language_after(gibberish, current="en") == "en"


def test_unconfident_long_message_does_not_switch():
    assert language_after(turn(detected="es", confidence=0.5, words=6), current="pt") == "pt"


def test_explicit_request_wins_over_everything():
    spoken = turn(intent="change_language", requested="fa", detected="en", confidence=0.99, words=5)
    assert language_after(spoken, current="en", previous_metadata_language="en") == "fa"


def test_channel_metadata_switches_only_when_it_changes():
    picker = turn(metadata_language="ar", detected="en", confidence=0.95, words=6)
    assert language_after(picker, current="nl", previous_metadata_language=None) == "ar"
    # Same picker value as before: a confident English message may switch.
    assert language_after(picker, current="ar", previous_metadata_language="ar") == "en"


def test_first_message_uses_detection_even_when_short():
    assert language_after(turn(detected="en", confidence=0.3, words=1), current=None) == "en"


def test_first_message_without_anything_defaults_to_dutch():
    assert language_after(turn(), current=None) == "nl"


def test_metadata_language_accepts_regional_codes_and_ignores_others():
    assert metadata_language({"language": "AR-ma"}) == "ar"
    assert metadata_language({"language": "zh"}) is None
    assert metadata_language("not a dict") is None
    assert metadata_language({"language": 42}) is None


def test_previous_metadata_language_reads_the_message_before_the_latest():
    events = [{"metadata": {"language": "tr"}}, {"metadata": {"language": "fa"}}]
    assert previous_metadata_language(events) == "tr"
    assert previous_metadata_language(events[:1]) is None


def test_turn_is_read_from_parse_data():
    parse = {
        "intent": {"name": "change_language"},
        "entities": [{"entity": "language", "value": "es"}, {"entity": "city", "value": "Breda"}],
        "language": "nl",
        "language_detection": {"confidence": 0.8, "words": 4},
    }
    spoken = UserTurn.from_parse_data(parse, {"language": "nl"})
    assert (spoken.intent, spoken.requested, spoken.detected, spoken.words) == ("change_language", "es", "nl", 4)
    assert spoken.metadata_language == "nl"


def test_current_language_as_close_runner_up_keeps_the_conversation():
    close_call = turn(detected="pt", confidence=0.62, words=5, scores={"pt": 0.62, "es": 0.33, "fr": 0.05})
    assert language_after(close_call, current="es") == "es"


def test_confident_detection_switches_when_the_current_language_is_far_behind():
    clear = turn(detected="pt", confidence=0.9, words=5, scores={"pt": 0.9, "es": 0.08, "fr": 0.02})
    assert language_after(clear, current="es") == "pt"
    assert language_after(clear, current="ar") == "pt"  # current language not among the likeliest


def test_scores_are_read_from_parse_data_and_junk_is_ignored():
    parse = {
        "language": "pt",
        "language_detection": {"confidence": 0.7, "words": 5, "scores": {"pt": 0.7, "es": 0.3, "xx": 1, "fr": "a"}},
    }
    assert UserTurn.from_parse_data(parse).scores == {"pt": 0.7, "es": 0.3}
    junk = {"language": "pt", "language_detection": {"confidence": 0.7, "words": 5, "scores": "nope"}}
    assert UserTurn.from_parse_data(junk).scores == {}
