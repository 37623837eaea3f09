from bot.text import clean, normalise, word_count
from tests.awkward import AWKWARD_STRINGS


def test_arabic_tashkeel_tatweel_and_alef_forms_are_folded():
    assert normalise("مَرْحَبًا") == normalise("مرحبا")
    assert normalise("ـمـرحـبـا") == normalise("مرحبا")
    assert normalise("أريد") == normalise("اريد") == normalise("إريد")
    assert normalise("مستشفى") == normalise("مستشفي")
    assert normalise("عيادة") == normalise("عياده")


def test_farsi_with_and_without_zwnj_and_arabic_letters_are_the_same():
    assert normalise("می‌خواهم") == normalise("میخواهم")
    assert normalise("پزشک") == normalise("پزشك")
    assert normalise("بیمه") == normalise("بيمه")


def test_turkish_dotted_and_dotless_i_fold_to_i():
    assert normalise("İLAÇ") == normalise("ILAÇ") == normalise("ılaç") == "ilac"


def test_accents_digits_and_case_are_folded():
    assert normalise("Médecin À L'HÔPITAL") == "medecin a l'hopital"
    assert normalise("۱۱۲") == normalise("١١٢") == "112"


def test_bidi_overrides_and_control_characters_are_removed():
    assert clean("\u202eabc\u202c\x00d") == "abc d"


def test_word_count_ignores_emoji_and_punctuation():
    assert word_count("ok 👍 !!") == 1
    assert word_count("ik heb geen papieren") == 4
    assert word_count("") == 0


def test_awkward_strings_do_not_break_normalise():
    for text in AWKWARD_STRINGS:
        assert isinstance(normalise(text), str)
        assert isinstance(word_count(text), int)
