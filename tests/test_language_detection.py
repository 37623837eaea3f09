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
