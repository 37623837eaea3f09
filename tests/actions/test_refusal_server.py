"""The refusal flow in every language against a real Rasa and action server (REST).

With consent the report is stored as (month, place, problem, province) and nothing else; without
consent nothing is stored; either way the letter for the provider comes as text and as an image.
"""
from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa

from bot.content.store import content
from bot.insights import store
from bot.languages import SUPPORTED
from bot.staff_scripts.runner import answers_of_last_turn
from tests.test_server import new_sender, say, tracker

pytestmark = pytest.mark.server
C = content()

REFUSED = {
    "nl": "de huisarts hier om de hoek zei dat hij mij niet wil zien zonder zorgverzekering",
    "en": "the thing is the huisarts in my street told me without insurance he doesnt accept me and sent me home",
    "ar": "امبارح رحت على دكتور عام هناك وما رضي يشوفني لاني ما معي تأمين",
    "fr": "la semaine derniere le huisarts de mon quartier m'a renvoye parce que j'avais pas d'assurance",
    "es": "es que el huisarts de mi calle me dijo que sin seguro no me acepta y me mando a casa",
    "pt": "ja fui a um medico de familia aqui e a assistente disse que sem seguro nao me registram",
    "tr": "dun apotheek receteme ragmen ilacimi vermedi, sigortan yok dedi",
    "fa": "دیروز رفتم apotheek، گفتن بدون بیمه نسخه‌ات رو بهت نمیدیم",
}


def answered(servers, sender):
    return answers_of_last_turn(tracker(servers, sender, "ALL"), C)


def click(servers, sender, replies, button):
    """Presses the button `button` (its id in the catalogue) among the buttons shown."""
    payload = C.button_payloads[button]
    shown = [b for reply in replies for b in reply.get("buttons") or []]
    assert payload in [b["payload"] for b in shown], f"{button} not offered: {shown}"
    return say(servers, sender, payload)


def texts(replies):
    return "\n\n".join(reply.get("text") or "" for reply in replies)


def start(servers, language):
    sender = new_sender()
    replies = say(servers, sender, REFUSED[language])
    assert answered(servers, sender) == ["report_refusal", "refusal_ask_consent"]
    assert C.render("refusal_ask_consent", language).messages[0] in texts(replies)
    return sender, replies


@pytest.mark.parametrize("language", SUPPORTED)
def test_with_consent_the_refusal_is_counted_anonymously_and_the_letter_offered(servers, language):
    before = len(store.refusal_rows())
    sender, replies = start(servers, language)
    replies = click(servers, sender, replies, "refusal_count_yes")
    assert answered(servers, sender) == ["refusal_ask_place"]
    replies = click(servers, sender, replies, "refusal_place_pharmacy")
    assert answered(servers, sender) == ["refusal_ask_problem"]
    replies = click(servers, sender, replies, "refusal_problem_asked_to_pay")
    assert answered(servers, sender) == ["refusal_ask_region"]
    replies = click(servers, sender, replies, "refusal_region_limburg")
    assert answered(servers, sender) == ["refusal_counted"]
    assert C.render("refusal_counted", language).messages[0] in texts(replies)
    rows = store.refusal_rows()
    assert len(rows) == before + 1
    assert rows[-1] == {"month": store.current_month(), "place": "pharmacy", "problem": "asked_to_pay",
                        "region": "Limburg"}
    assert_only_anonymous_fields(sender)
    assert_letter(servers, sender, replies, language)


@pytest.mark.parametrize("language", SUPPORTED)
def test_without_consent_nothing_is_counted_and_the_letter_is_still_offered(servers, language):
    before = store.refusal_rows()
    sender, replies = start(servers, language)
    replies = click(servers, sender, replies, "refusal_count_no")
    assert answered(servers, sender) == ["refusal_not_counted"]
    assert C.render("refusal_not_counted", language).messages[0] in texts(replies)
    assert store.refusal_rows() == before
    slots = tracker(servers, sender)["slots"]
    assert all(slots[f"refusal_{name}"] is None for name in ("consent", "place", "problem", "region"))
    assert_letter(servers, sender, replies, language)


def test_a_typed_yes_and_a_typed_city_are_understood(servers):
    sender, _replies = start(servers, "nl")
    say(servers, sender, "ja hoor")
    assert answered(servers, sender) == ["refusal_ask_place"]
    say(servers, sender, C.button_payloads["refusal_place_gp"])
    say(servers, sender, C.button_payloads["refusal_problem_no_registration"])
    before = len(store.refusal_rows())
    say(servers, sender, "ik woon in Rotterdam")
    assert answered(servers, sender) == ["refusal_counted"]
    assert store.refusal_rows()[before:] == [{"month": store.current_month(), "place": "gp",
                                              "problem": "no_registration", "region": "Zuid-Holland"}]


def test_another_question_in_the_middle_leaves_the_questions(servers):
    sender, replies = start(servers, "en")
    click(servers, sender, replies, "refusal_count_yes")
    say(servers, sender, "/ask_costs")
    assert answered(servers, sender) == ["costs"]


def assert_only_anonymous_fields(sender):
    columns = {c["name"] for c in sa.inspect(store.engine()).get_columns("refusal_reports")}
    assert columns == {"id", "month", "place", "problem", "region"}
    database = store.engine().url.database
    with open(database, "rb") as handle:
        assert sender.encode() not in handle.read()


def assert_letter(servers, sender, replies, language):
    replies = click(servers, sender, replies, "refusal_letter")
    assert answered(servers, sender) == ["refusal_letter"]
    letter = texts(replies)
    assert "Regeling onverzekerbare vreemdelingen" in letter and "000000000" in letter
    if language != "nl":
        assert C.render("refusal_letter", language).messages[1] in letter
    images = [reply["image"] for reply in replies if reply.get("image")]
    assert images and images[0].endswith(f"/webhooks/letters/refusal/{language}.png")
    path = images[0].split("/webhooks/", 1)[1]
    image = requests.get(f"{servers.rasa}/webhooks/{path}", timeout=30)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    page = requests.get(f"{servers.rasa}/webhooks/{path[:-4]}.html", timeout=30)
    assert page.status_code == 200 and "Geachte zorgverlener" in page.text


@pytest.mark.parametrize("path", ["/webhooks/letters/refusal/xx.png", "/webhooks/letters/other/nl.png",
                                  "/webhooks/letters/refusal/nl.exe", "/webhooks/letters/refusal/" + "a" * 5000])
def test_unknown_letters_are_a_clear_404(servers, path):
    assert requests.get(servers.rasa + path, timeout=30).status_code == 404
