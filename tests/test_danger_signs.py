"""Danger signs in every language, written in other words than the phrase lists use."""
import pytest

from bot.danger_signs import DangerSignMatcher, matcher
from bot.languages import SUPPORTED

# Per language: a child who drank or swallowed something dangerous, someone else who wants to end
# their life, and chest pain with an intensifier.
DANGERS = {
    "nl": ["mijn dochter heeft gootsteenontstopper gedronken", "mijn vriend zegt dat hij zelfmoord wil plegen",
           "ik heb heel erge pijn op mijn borst"],
    "en": ["my toddler drank some bleach", "my friend says he wants to kill himself", "really bad pain in my chest"],
    "fr": ["mon fils a avalé une pile", "mon ami veut se suicider", "j'ai très mal à la poitrine"],
    "es": ["mi hijo se tomó lejía", "mi amiga dice que se quiere suicidar", "me duele mucho el pecho"],
    "pt": ["meu filho bebeu água sanitária", "minha amiga quer se matar", "estou com uma dor forte no peito"],
    "tr": ["oğlum çamaşır suyu içti", "arkadaşım intihar etmek istiyor", "göğsümde çok şiddetli ağrı var"],
    "ar": ["ابني شرب كلور", "صديقي بدو ينتحر", "عندي الم شديد في الصدر"],
    "fa": ["پسرم وایتکس خورده", "دوستم میخواد خودکشی کنه", "درد شدید قفسه سینه دارم"],
}

# Everyday sentences that share words with danger signs.
HARMLESS = ["me corto el pelo mañana", "can i get a blood test without insurance", "what is the emergency number",
            "mijn borst doet pijn bij het voeden", "il faut pas respirer la fumee", "ateşi düştü ama hala yorgun",
            "انا عايز اعيش هنا في هولندا", "ابي انهي كل شي بالاوراق اليوم"]


def test_every_language_has_examples_here():
    assert set(DANGERS) == set(SUPPORTED)


@pytest.mark.parametrize("language, text", [(lang, text) for lang, texts in DANGERS.items() for text in texts])
def test_a_danger_sign_is_found_in_other_words(language, text):
    assert matcher().find(text) is not None, (language, text)


@pytest.mark.parametrize("text", HARMLESS)
def test_an_everyday_sentence_is_no_danger_sign(text):
    assert matcher().find(text) is None


def test_a_gap_lets_words_stand_between_but_not_too_many():
    signs = DangerSignMatcher({"en": ["pain ... chest"]})
    assert signs.find("Pain, in my chest!") is not None
    assert signs.find("pain in my back and then my chest") is None
