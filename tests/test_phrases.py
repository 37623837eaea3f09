"""The phrase matcher that danger signs and concepts share (`bot.phrases`)."""
from __future__ import annotations

from bot.phrases import PhraseIndex
from bot.text import normalise


def words(text: str) -> list[str]:
    return normalise(text).split()


def test_a_phrase_longer_than_the_message_does_not_match():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("geen papieren", "no_papers")
    assert list(index.find(["geen"])) == []


def test_a_gap_lets_up_to_three_words_stand_between_two():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("pain ... chest", "chest_pain")
    assert list(index.find(words("pain chest"))) == ["chest_pain"]
    assert list(index.find(words("a very bad pain in my chest"))) == ["chest_pain"]
    assert list(index.find(words("pain in my back and my chest"))) == []
    assert list(index.find(words("chest pain"))) == []


def test_a_gap_works_with_a_prefix_and_with_arabic_glued_prefixes():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("pijn ... borst*", "chest_pain")
    index.add("وجع ... صدر", "chest_pain_ar")
    assert list(index.find(words("pijn op mijn borstkas"))) == ["chest_pain"]
    assert list(index.find(words("وجع قوي بالصدر"))) == ["chest_pain_ar"]


def test_a_phrase_of_gaps_only_adds_nothing():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("...", "nothing")
    index.add("... pain ...", "pain")
    assert list(index.find(words("pain"))) == ["pain"]


def test_a_word_stretched_for_emphasis_still_matches_in_every_script():
    index: PhraseIndex[str] = PhraseIndex()
    for phrase in ("hallo", "please", "سلام", "مرسی", "merhaba", "merci", "hola", "obrigado", "good", "help me"):
        index.add(phrase, phrase)
    for stretched, phrase in [("hallooo", "hallo"), ("pleaseeee", "please"), ("سلاااام", "سلام"),
                              ("مرسیییی", "مرسی"), ("merhabaaaa", "merhaba"), ("merciii", "merci"),
                              ("holaaaa", "hola"), ("obrigadooo", "obrigado"), ("goooood", "good"),
                              ("helpppp me", "help me")]:
        assert list(index.find(words(stretched))) == [phrase], stretched


def test_a_stretched_word_does_not_match_a_different_word():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("hola", "hola")
    assert list(index.find(words("hooolaaa amigos"))) == ["hola"]
    assert list(index.find(words("hoooo"))) == []


def test_one_letter_typed_many_times_is_noise_not_a_stretched_word():
    index: PhraseIndex[str] = PhraseIndex()
    index.add("kk", "yes")
    index.add("qq", "q")
    assert list(index.find(words("qqq zzzz vvvv kkkk"))) == []
    assert list(index.find(words("kk"))) == ["yes"]
