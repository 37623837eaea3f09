"""The assistant end to end: a real Rasa server and action server, over REST and socket.io."""
from __future__ import annotations

import threading
import uuid

import pytest
import requests
import socketio

from bot.content.store import content
from bot.language_detection import detect
from bot.languages import SUPPORTED
from tests.awkward import AWKWARD_STRINGS, SAMPLES

pytestmark = pytest.mark.server
C = content()

DANGER = {
    "nl": "help mijn vader is bewusteloos en ademt niet",
    "en": "my friend fell down and is not breathing",
    "ar": "صديقي وقع على الأرض ولا يتنفس",
    "fr": "mon ami est tombé et il ne respire plus",
    "es": "mi amigo se cayó y no respira",
    "pt": "meu amigo caiu e não está respirando",
    "tr": "arkadaşım yere düştü nefes almıyor",
    "fa": "دوستم افتاده و نفس نمی‌کشد",
}


def say(servers, sender, text, metadata=None):
    body = {"sender": sender, "message": text}
    if metadata is not None:
        body["metadata"] = metadata
    response = requests.post(f"{servers.rasa}/webhooks/rest/webhook", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(replies):
    return "\n\n".join(r.get("text", "") for r in replies)


def tracker(servers, sender, include_events="AFTER_RESTART"):
    response = requests.get(
        f"{servers.rasa}/conversations/{sender}/tracker",
        params={"token": servers.token, "include_events": include_events},
        timeout=30,
    )
    assert response.status_code == 200
    return response.json()


def new_sender():
    return "test-" + uuid.uuid4().hex


@pytest.mark.parametrize("language", SUPPORTED)
def test_danger_sign_gets_the_112_answer_in_the_users_language(servers, language):
    replies = say(servers, new_sender(), DANGER[language])
    reply = text_of(replies)
    assert "112" in reply
    first = reply.split("\n\n")[0]
    assert first == C.render("emergency", language).messages[0].format_map(C.fact_values())


@pytest.mark.parametrize("language", SUPPORTED)
def test_question_about_rights_is_answered_in_the_users_language(servers, language):
    sender = new_sender()
    reply = text_of(say(servers, sender, SAMPLES[language]))
    assert tracker(servers, sender)["slots"]["language"] == language
    expected = C.render("entitlement", language)
    *answer, notice = reply.split("\n\n")  # the first answer ends with the privacy notice (bot/privacy/notice.py)
    assert answer == [m.format_map(C.fact_values()) for m in expected.messages]
    assert notice.startswith(C.languages[language].notes["privacy_notice"].split("{")[0])
    if expected.language == language:
        assert detect(reply).language == language


def test_language_stays_arabic_after_short_latin_reply(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["ar"])
    for short in ("ok", "hi", "👍", "Breda"):
        say(servers, sender, short)
        assert tracker(servers, sender)["slots"]["language"] == "ar", short


def test_explicit_request_switches_language_and_confirms_in_the_new_one(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["en"])
    reply = text_of(say(servers, sender, "can you speak Turkish please"))
    assert tracker(servers, sender)["slots"]["language"] == "tr"
    assert reply == C.render("language_changed", "tr").messages[0]


def test_language_button_payload_switches_language(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["nl"])
    reply = text_of(say(servers, sender, '/change_language{"language": "fa"}'))
    assert reply == C.render("language_changed", "fa").messages[0]


def test_channel_metadata_sets_the_language(servers):
    sender = new_sender()
    say(servers, sender, "hi", metadata={"language": "es"})
    assert tracker(servers, sender)["slots"]["language"] == "es"


def test_parse_result_has_a_top_level_language_key_and_the_api_needs_the_token(servers):
    url = f"{servers.rasa}/model/parse"
    assert requests.post(url, json={"text": "hallo"}, timeout=30).status_code == 401
    parsed = requests.post(url, params={"token": servers.token}, json={"text": SAMPLES["pt"]}, timeout=30).json()
    assert parsed["language"] == "pt"
    assert parsed["language_detection"]["words"] >= 3
    assert parsed["intent"]["name"]


def test_city_is_normalised_and_remembered(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["fr"])
    reply = text_of(say(servers, sender, "j'habite à La Haye"))
    assert tracker(servers, sender)["slots"]["city"] == "Den Haag"
    assert "Den Haag" in reply


def test_two_misses_offer_a_person(servers):
    sender = new_sender()
    say(servers, sender, "/greet", metadata={"language": "en"})
    first = text_of(say(servers, sender, "zxqv blorp wibble"))
    second = text_of(say(servers, sender, "qqq zzzz vvvv kkkk"))
    assert first == C.render("ask_rephrase", "en").messages[0]
    assert second == C.render("offer_person", "en").messages[0]


def test_forget_me_asks_first_then_deletes_the_conversation(servers):
    sender = new_sender()
    say(servers, sender, SAMPLES["en"])
    ask = say(servers, sender, "/forget_me")
    assert [b["payload"] for b in ask[-1]["buttons"]] == ["/affirm", "/deny"]
    done = text_of(say(servers, sender, "/affirm"))
    assert done == C.render("forgotten", "en").messages[0]
    # Deleted from the database, not only restarted (tests/privacy/ checks the table itself).
    assert not [e for e in tracker(servers, sender, "ALL")["events"] if e["event"] == "user"]
    remembered = [e.get("text") for e in tracker(servers, sender)["events"] if e["event"] == "user"]
    assert SAMPLES["en"] not in remembered


@pytest.mark.parametrize("text", AWKWARD_STRINGS)
def test_awkward_messages_get_a_reply_not_an_error(servers, text):
    replies = say(servers, new_sender(), text)
    assert isinstance(replies, list)


def test_socketio_conversation_survives_a_reconnect_with_the_same_session(servers):
    received: list[dict] = []
    got_reply = threading.Event()
    session_id = uuid.uuid4().hex

    def connect_and_say(text):
        client = socketio.Client(reconnection=False)
        confirmed = threading.Event()
        client.on("session_confirm", lambda data: confirmed.set())

        @client.on("bot_uttered")
        def on_bot(data):
            received.append(data)
            got_reply.set()

        client.connect(servers.rasa, transports=["polling"], socketio_path="socket.io")
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.wait(30)
        got_reply.clear()
        client.emit("user_uttered", {"message": text, "session_id": session_id, "customData": {"language": "nl"}})
        assert got_reply.wait(60)
        client.disconnect()

    connect_and_say("hallo")
    connect_and_say("Moet ik zelf betalen als ik naar de dokter ga?")
    assert received[0]["text"] == C.render("greet", "nl").messages[0]
    user_texts = [e.get("text") for e in tracker(servers, session_id)["events"] if e["event"] == "user"]
    assert user_texts == ["hallo", "Moet ik zelf betalen als ik naar de dokter ga?"]
    assert tracker(servers, session_id)["latest_message"]["intent"]["name"] == "ask_costs"


@pytest.mark.parametrize("language", SUPPORTED)
def test_what_to_say_at_the_gp_comes_with_the_card_as_text_and_image(servers, language):
    replies = say(servers, new_sender(), "/ask_what_to_tell_gp", metadata={"language": language})
    images = [r["image"] for r in replies if "image" in r]
    assert images and images[0].endswith(f"/webhooks/cards/gp/{language}.png")
    text = text_of(replies)
    for message in C.render("card_gp", "nl").messages:
        assert message in text


def test_card_image_and_printable_page_are_served_by_rasa(servers):
    image = requests.get(f"{servers.rasa}/webhooks/cards/gp/ar.png", timeout=60)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"
    page = requests.get(f"{servers.rasa}/webhooks/cards/hospital/fa.html", timeout=60)
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    bad_paths = (
        "/webhooks/cards/gp/xx.png",
        "/webhooks/cards/passport/en.png",
        "/webhooks/cards/gp/..%2F..%2Fetc.html",
    )
    for bad in bad_paths:
        assert requests.get(servers.rasa + bad, timeout=30).status_code == 404, bad


@pytest.mark.parametrize("language", SUPPORTED)
def test_a_long_conversation_keeps_its_language_city_and_fallback_rule(servers, language):
    """Past 8 messages the assistant works from the conversation's last messages and the state
    before them (bot/conversation_window.py): nothing of that state may be lost."""
    sender = new_sender()
    say(servers, sender, SAMPLES[language])
    say(servers, sender, "Utrecht")
    for _ in range(9):
        say(servers, sender, "/thank")
    first = text_of(say(servers, sender, "zxqv blorp wibble"))
    second = text_of(say(servers, sender, "qqq zzzz vvvv kkkk"))
    assert first == C.render("ask_rephrase", language).messages[0]
    assert second == C.render("offer_person", language).messages[0]
    state = tracker(servers, sender)
    assert state["slots"]["language"] == language
    assert state["slots"]["city"] == "Utrecht"
    assert len([event for event in state["events"] if event["event"] == "user"]) == 13
