import pytest

from bot.language_detection import detect
from bot.languages import LANGUAGE_NAMES, SUPPORTED
from tests.awkward import AWKWARD_STRINGS, SAMPLES


@pytest.mark.parametrize("language", SUPPORTED)
def test_each_language_is_detected(language):
    detection = detect(SAMPLES[language])
    assert detection.language == language
    assert detection.confidence >= 0.6
    assert detection.words >= 3


def test_dutch_loanwords_do_not_make_english_dutch():
    assert detect("can my huisarts refuse me if I have no BSN").language == "en"
    assert detect("je n'ai pas de verzekering, est-ce que le huisarts peut refuser").language == "fr"


def test_persian_letters_decide_between_farsi_and_arabic():
    assert detect("من بیمه ندارم، چطور پیش پزشک بروم").language == "fa"
    assert detect("ليس عندي تأمين صحي، كيف أذهب إلى الطبيب").language == "ar"


def test_turkish_without_turkish_letters_is_still_turkish():
    assert detect("sigortam yok doktora gidebilir miyim").language == "tr"


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_strings_get_an_answer_not_an_error(text):
    detection = detect(text)
    assert detection.language in (*SUPPORTED, None)
    assert 0.0 <= detection.confidence <= 1.0


def test_every_language_can_be_named_in_every_script():
    for code in SUPPORTED:
        assert code in LANGUAGE_NAMES.values()
    assert LANGUAGE_NAMES["arabisch"] == "ar"
    assert LANGUAGE_NAMES["فارسي"] == "fa"
    assert LANGUAGE_NAMES["turkce"] == "tr"


# One test per rule of bot/language_detection.py and bot/language_cues.py. The messages here are
# written for these tests, not taken from the held-out sets.
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("we are staying with my cousin in Zoetermeer", "en"),
        ("je suis chez une amie a La Haye", "fr"),
        ("ahora vivimos en Den Bosch", "es"),
    ],
)
def test_dutch_place_names_say_nothing_about_the_language(text, language):
    assert detect(text).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("que significa kraamzorg exactamente", "es"),
        ("o que e uma verwijsbrief", "pt"),
        ("my aanmaning from the incassobureau", "en"),
        ("dokters van de wereld ofisi nerede acaba", "tr"),
    ],
)
def test_dutch_care_words_and_names_are_set_aside(text, language):
    assert detect(text).language == language


def test_dutch_courtesies_count_only_when_nothing_else_is_said():
    assert detect("merci, dank je wel, a bientot").language == "fr"
    assert detect("dank je wel").language == "nl"


def test_a_dutch_word_with_a_turkish_case_ending_is_a_loanword():
    assert detect("huisartsta ne soylemem gerek").language == "tr"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("الhuisarts ما بدو يسجلني", "ar"),
        ("apotheek کجاست؟ نزدیک خونه", "fa"),
        ("factuur من الziekenhuis شو بعمل", "ar"),
    ],
)
def test_arabic_script_with_dutch_words_is_arabic_or_persian(text, language):
    assert detect(text).language == language


def test_the_keyboard_decides_between_arabic_and_persian():
    assert detect("لا مش لازم هلق").language == "ar"  # ي/ك-free, but Arabic-only words
    assert detect("كيف بلاقي دكتور").language == "ar"  # Arabic kaf and yeh
    assert detect("کی جواب میده").language == "fa"  # Persian keheh and yeh


@pytest.mark.parametrize(
    "text", ["ana 3ayez doktor bokra", "shu a3mel iza ma 3ndi ta2meen", "ibni 3ndo 7arara"]
)
def test_arabizi_is_arabic(text):
    assert detect(text).language == "ar"


@pytest.mark.parametrize("text", ["man bime nadaram chikar konam", "doktor mikham lotfan", "kheili dard daram"])
def test_finglish_is_persian(text):
    assert detect(text).language == "fa"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("não tenho dinheiro", "pt"),
        ("mañana tengo cita", "es"),
        ("ağrım var doktor", "tr"),
    ],
)
def test_letters_only_one_language_uses(text, language):
    assert detect(text).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("o que eu faco com a conta", "pt"),
        ("lo que necesito es un medico", "es"),
        ("j'ai pas d'argent pour ca", "fr"),
        ("is there a doctor for me", "en"),
        ("is er een dokter voor mij", "nl"),
        ("yardim istiyorum lutfen", "tr"),
    ],
)
def test_function_words_phrases_and_endings(text, language):
    assert detect(text).language == language


def test_scores_are_the_likeliest_languages_shares():
    detection = detect("o que eu faco com a conta do hospital")
    assert list(detection.scores)[0] == detection.language
    assert len(detection.scores) <= 3
    assert 0.99 <= sum(detection.scores.values()) <= 1.0 or sum(detection.scores.values()) < 1.0
    assert detection.scores[detection.language] == round(detection.confidence, 3)


def test_a_long_message_is_detected_quickly():
    import time

    start = time.perf_counter()
    detect("ik heb geen verzekering en de huisarts wil me niet inschrijven " * 200)
    assert time.perf_counter() - start < 1.0


def test_function_word_lists_share_no_word():
    from collections import Counter

    from bot import language_cues

    counts = Counter(word for words in language_cues.FUNCTION_WORDS.values() for word in words)
    assert [word for word, n in counts.items() if n > 1] == []
    assert not language_cues.ARABIC_ONLY_WORDS & language_cues.PERSIAN_ONLY_WORDS
    assert not language_cues.ARABIZI_WORDS & language_cues.FINGLISH_WORDS
    every_function_word = set().union(*language_cues.FUNCTION_WORDS.values())
    assert not every_function_word & language_cues.DUTCH_CARE_WORDS


def test_check_set_is_never_trained_on_and_has_forty_messages_per_language():
    from bot.evaluation import check_set_messages, examples
    from bot.paths import ROOT
    from bot.text import normalise

    rows = check_set_messages()
    assert {language for language, _, _ in rows} == set(SUPPORTED)
    for language in SUPPORTED:
        assert len([1 for lang, _, _ in rows if lang == language]) >= 40
    trained = {normalise(text) for _, _, text in examples(ROOT / "data" / "nlu", "*/*.yml")}
    held_out = {normalise(text) for _, _, text in examples(ROOT / "tests" / "nlu", "*.yml")}
    assert not {normalise(text) for _, _, text in rows} & (trained | held_out)


@pytest.mark.parametrize("language", SUPPORTED)
def test_detection_reaches_the_target_on_the_held_out_and_check_sets(language):
    from bot.evaluation import TARGET_DETECTION, check_set_messages, detection_figures, examples
    from bot.paths import ROOT

    held_out = detection_figures(examples(ROOT / "tests" / "nlu", "*.yml"))[language]
    check_set = detection_figures(check_set_messages())[language]
    assert held_out["accuracy"] >= TARGET_DETECTION, held_out["misses"]
    assert check_set["accuracy"] >= TARGET_DETECTION, check_set["misses"]
