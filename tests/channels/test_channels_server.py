"""Telegram, WhatsApp (Twilio) and Messenger end to end: real-shaped webhook calls into a real Rasa
server whose channels talk to local fakes of the providers' APIs (tests/channels/fakes.py).

The Rasa server starts while the fake Telegram API is still down (it must start anyway, and set its
webhook once Telegram is back). Its content is a copy of content/ in which one English answer is
made very long, to see it split under each provider's limit.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import sqlite3
import time
import unicodedata
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from twilio.request_validator import RequestValidator

from bot.content.store import Content, content
from bot.language_detection import detect
from bot.languages import SUPPORTED
from bot.paths import ROOT
from bot.sender_ids import pseudonymous_id
from tests.awkward import SAMPLES
from tests.channels.fakes import FakeMessenger, FakeTelegram, FakeTwilio
from tests.servers import free_port, running_servers

pytestmark = pytest.mark.server

PUBLIC = "https://bot.example.org"
TELEGRAM_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
TELEGRAM_SECRET = "test-secret-token_123"
TWILIO_SID, TWILIO_TOKEN, TWILIO_NUMBER = "AC" + "0" * 32, "twilio-test-auth-token", "whatsapp:+14155238886"
MESSENGER_TOKEN, MESSENGER_SECRET, MESSENGER_VERIFY = "EAAtestpagetoken", "messenger-app-secret", "verify-me"
GP_QUESTION = "ik woon in Den Haag en heb geen papieren, wat zeg ik tegen de huisarts?"
LONG_ANSWER = " ".join(f"Sentence {n} of a very long test answer about health care without papers." for n in range(80))

# Every address used in this module, to check afterwards that none was stored.
ADDRESSES_USED: set[str] = set()
TIMINGS: dict[str, list[float]] = {"telegram": [], "twilio": [], "facebook": []}


class Channels:
    """The running Rasa server, the three fakes and the test content."""

    def __init__(self, servers, telegram: FakeTelegram, twilio: FakeTwilio, messenger: FakeMessenger,
                 content_copy: Content) -> None:
        self.servers = servers
        self.telegram = telegram
        self.twilio = twilio
        self.messenger = messenger
        self.content = content_copy
        self.updates = iter(range(10_000, 10**9))

    def url(self, channel: str) -> str:
        return f"{self.servers.rasa}/webhooks/{channel}/webhook"

    def sender_id(self, channel: str, address: str) -> str:
        key = (self.servers.state_dir / "sender_id_key").read_text().strip().encode()
        return pseudonymous_id(channel, address, key)


def long_content(folder: Path) -> Content:
    """A copy of content/ whose English goodbye is one very long paragraph."""
    shutil.copytree(ROOT / "content", folder)
    answers_file = folder / "en" / "answers.yml"
    answers = yaml.safe_load(answers_file.read_text("utf-8"))
    answers["answers"]["goodbye"]["messages"] = [LONG_ANSWER]
    answers_file.write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    return Content(folder)


@pytest.fixture(scope="module")
def channels(tmp_path_factory):
    state = tmp_path_factory.mktemp("channels")
    telegram = FakeTelegram(TELEGRAM_TOKEN, port=free_port())  # started only after Rasa is up
    twilio = FakeTwilio(TWILIO_SID, TWILIO_TOKEN).start()
    messenger = FakeMessenger(MESSENGER_TOKEN).start()
    environment = {
        "PUBLIC_URL": PUBLIC,
        "ASSISTANT_CONTENT_DIR": str(state / "content"),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "MESSENGER_PAGE_ACCESS_TOKEN": MESSENGER_TOKEN,
        "MESSENGER_APP_SECRET": MESSENGER_SECRET,
        "MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY,
        "MESSENGER_API_URL": messenger.api_url,
    }
    content_copy = long_content(state / "content")
    try:
        with running_servers(state, environment=environment) as servers:
            telegram.start()
            yield Channels(servers, telegram, twilio, messenger, content_copy)
    finally:
        for fake in (telegram, twilio, messenger):
            fake.stop()
        print("\nround trip with fakes (webhook call until the last reply is sent), seconds:")
        for channel, times in TIMINGS.items():
            if times:
                ordered = sorted(times)
                print(f"  {channel}: n={len(times)} median={ordered[len(times) // 2]:.3f} max={ordered[-1]:.3f}")


def timed_post(channel: str, *args, **kwargs) -> requests.Response:
    started = time.perf_counter()
    reply = requests.post(*args, timeout=120, **kwargs)
    if reply.status_code < 300:
        TIMINGS[channel].append(time.perf_counter() - started)
    return reply


def rendered(language: str, answer: str = "entitlement", source: Content | None = None):
    source = source or content()
    result = source.render(answer, language)
    return [m.format_map(source.fact_values()) for m in result.messages], result.buttons


def rest_replies(channels: Channels, messages: list[str]) -> list[dict]:
    """What the REST channel answers to the last of `messages` in a new conversation: the oracle for
    what the messaging channels must send (other parts of the assistant add messages, e.g. the
    privacy notice on a first answer, so the tests do not hard-code a turn's messages)."""
    sender = "rest-" + uuid.uuid4().hex
    for text in messages:
        reply = requests.post(f"{channels.servers.rasa}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=120)
        assert reply.status_code == 200, reply.text
    return reply.json()


def numbered(buttons: list[dict], language: str) -> str:
    lines = [f"{n}. {b['title']}" for n, b in enumerate(buttons, start=1)]
    return "\n".join(lines + [content().languages[language].notes["choose_by_number"]])


def expected_view(replies: list[dict], channel: str, language: str) -> list[tuple]:
    """The messages `channel` must send for the REST `replies`: every blank-line part as a message;
    buttons as a keyboard (Telegram), quick replies (Messenger) or numbered text (WhatsApp, and
    Messenger when a title is over 20 characters); images as media."""
    view: list[tuple] = []
    for reply in replies:
        parts = [p for p in (reply.get("text") or "").split("\n\n") if p.strip()]
        buttons = reply.get("buttons") or []
        options: tuple = ()
        if buttons:
            pairs = tuple((b["title"], b["payload"]) for b in buttons)
            native = channel == "telegram" or (
                channel == "facebook" and all(len(b["title"]) <= 20 for b in buttons) and len(buttons) <= 13)
            if native:
                options = pairs
            else:
                parts = parts[:-1] + [parts[-1] + "\n\n" + numbered(buttons, language)]
                if channel == "facebook":
                    options = tuple((str(n), b["payload"]) for n, b in enumerate(buttons, start=1))
        view += [("text", part, ()) for part in parts[:-1]] + [("text", parts[-1], options)] if parts else []
        if reply.get("image"):
            view.append(("image", reply["image"], ()))
    return view


def telegram_view(channels: Channels, since: int) -> list[tuple]:
    view = []
    for call in channels.telegram.calls[since:]:
        if call.method == "sendMessage":
            keyboard = (call.body.get("reply_markup") or {}).get("inline_keyboard", [])
            buttons = tuple((b["text"], b["callback_data"]) for row in keyboard for b in row)
            view.append(("text", call.body["text"], buttons))
        elif call.method == "sendPhoto":
            view.append(("image", call.body["photo"], ()))
    return view


def twilio_view(channels: Channels, since: int) -> list[tuple]:
    view = []
    for call in channels.twilio.calls[since:]:
        if call.body["Body"]:
            view.append(("text", call.body["Body"], ()))
        view += [("image", url, ()) for url in call.body["MediaUrl"]]
    return view


def messenger_view(channels: Channels, since: int) -> list[tuple]:
    view = []
    for call in channels.messenger.calls[since:]:
        message = call.body["message"]
        if "text" in message:
            replies = tuple((r["title"], r["payload"]) for r in message.get("quick_replies") or [])
            view.append(("text", message["text"], replies))
        else:
            view.append(("image", message["attachment"]["payload"]["url"], ()))
    return view


def texts_of(view: list[tuple]) -> list[str]:
    return [item[1] for item in view if item[0] == "text"]


def contains_run(items: list[str], run: list[str]) -> bool:
    return any(items[i:i + len(run)] == run for i in range(len(items) - len(run) + 1))


# --- Telegram ------------------------------------------------------------------------------------


def telegram_update(channels: Channels, chat_id: int, text: str) -> dict:
    update_id = next(channels.updates)
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "nl"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "from": user, "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
        "date": int(time.time()), "text": text}}


def telegram_send(channels: Channels, body, secret: str | None = TELEGRAM_SECRET) -> requests.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return timed_post("telegram", channels.url("telegram"), data=data,
                      headers={"Content-Type": "application/json", **headers})


def new_chat_id() -> int:
    chat_id = 7_000_000_000 + uuid.uuid4().int % 999_999_999
    ADDRESSES_USED.add(str(chat_id))
    return chat_id


def test_telegram_starts_without_its_api_and_sets_the_webhook_with_the_secret_once_it_is_back(channels):
    log = (channels.servers.state_dir / "rasa.log").read_text()
    assert "Telegram cannot be reached" in log
    assert requests.get(f"{channels.servers.rasa}/webhooks/telegram/", timeout=10).json() == {"status": "ok"}
    call = channels.telegram.wait_for("setWebhook", seconds=60)[-1]
    assert call.body["secret_token"] == TELEGRAM_SECRET
    assert call.body["url"] == f"{PUBLIC}/webhooks/telegram/webhook"


def telegram_press(channels: Channels, chat_id: int, data: str) -> dict:
    return {"update_id": next(channels.updates), "callback_query": {
        "id": f"cb{uuid.uuid4().hex[:16]}", "from": {"id": chat_id, "is_bot": False, "first_name": "Test"},
        "chat_instance": "-1234", "data": data,
        "message": {"message_id": 5, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"}}}}


def test_telegram_answers_with_an_inline_keyboard(channels):
    chat_id, mark = new_chat_id(), channels.telegram.mark()
    assert telegram_send(channels, telegram_update(channels, chat_id, SAMPLES["nl"])).status_code == 200
    view = telegram_view(channels, mark)
    assert view == expected_view(rest_replies(channels, [SAMPLES["nl"]]), "telegram", "nl")
    assert all(c.body["chat_id"] == str(chat_id) for c in channels.telegram.calls[mark:])
    messages, buttons = rendered("nl")
    assert contains_run(texts_of(view), messages)
    keyboards = [item[2] for item in view if item[2]]
    assert keyboards == [tuple((b["title"], b["payload"]) for b in buttons)]


def test_telegram_button_press_and_typed_title_choose_the_option(channels):
    _, buttons = rendered("en")
    expected = expected_view(rest_replies(channels, [SAMPLES["en"], buttons[1]["payload"]]), "telegram", "en")
    chat_id = new_chat_id()
    telegram_send(channels, telegram_update(channels, chat_id, SAMPLES["en"]))
    mark = channels.telegram.mark()
    press = telegram_press(channels, chat_id, buttons[1]["payload"])
    assert telegram_send(channels, press).status_code == 200
    answered = channels.telegram.calls_of("answerCallbackQuery", mark)
    assert answered[0].body == {"callback_query_id": press["callback_query"]["id"]}
    assert telegram_view(channels, mark) == expected

    chat_id = new_chat_id()
    telegram_send(channels, telegram_update(channels, chat_id, SAMPLES["en"]))
    mark = channels.telegram.mark()
    telegram_send(channels, telegram_update(channels, chat_id, buttons[1]["title"].upper()))
    assert telegram_view(channels, mark) == expected


def test_telegram_sends_the_card_as_a_photo(channels):
    chat_id, mark = new_chat_id(), channels.telegram.mark()
    telegram_send(channels, telegram_update(channels, chat_id, GP_QUESTION))
    photos = channels.telegram.calls_of("sendPhoto", mark)
    assert [c.body for c in photos] == [{"chat_id": str(chat_id), "photo": f"{PUBLIC}/webhooks/cards/gp/nl.png"}]
    assert telegram_view(channels, mark) == expected_view(rest_replies(channels, [GP_QUESTION]), "telegram", "nl")


def test_telegram_rejects_a_missing_or_wrong_secret_and_sends_nothing(channels):
    mark = channels.telegram.mark()
    update = telegram_update(channels, new_chat_id(), SAMPLES["nl"])
    for secret in (None, "", "wrong", TELEGRAM_SECRET + "x"):
        reply = telegram_send(channels, update, secret=secret)
        assert reply.status_code == 403 and "error" in reply.json()
    assert channels.telegram.calls[mark:] == []


# --- WhatsApp through Twilio ---------------------------------------------------------------------


def new_phone() -> str:
    number = f"whatsapp:+316{uuid.uuid4().int % 10**8:08d}"
    ADDRESSES_USED.add(number.removeprefix("whatsapp:+"))
    return number


def twilio_form(phone: str, text: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    return {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Test", "SmsSid": sid,
            "WaId": phone.removeprefix("whatsapp:+"), "SmsStatus": "received", "Body": text, "To": TWILIO_NUMBER,
            "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid, "AccountSid": TWILIO_SID,
            "From": phone, "ApiVersion": "2010-04-01"}


def twilio_send(channels: Channels, form: dict[str, str], signature: str | None = None,
                signed_url: str | None = None) -> requests.Response:
    url = channels.url("twilio")
    if signature is None:
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(signed_url or url, form)
    return timed_post("twilio", url, data=form, headers={"X-Twilio-Signature": signature})


def whatsapp(channels: Channels, phone: str, text: str) -> list[tuple]:
    """Sends `text` from `phone`; what was sent back, as a view (see expected_view)."""
    mark = channels.twilio.mark()
    reply = twilio_send(channels, twilio_form(phone, text))
    assert reply.status_code == 204, reply.text
    assert all(c.body["To"] == phone and c.body["From"] == TWILIO_NUMBER for c in channels.twilio.calls[mark:])
    return twilio_view(channels, mark)


@pytest.mark.parametrize("language", SUPPORTED)
def test_whatsapp_answers_in_the_persons_language_with_numbered_options(channels, language):
    view = whatsapp(channels, new_phone(), SAMPLES[language])
    assert view == expected_view(rest_replies(channels, [SAMPLES[language]]), "twilio", language)
    messages, buttons = rendered(language)
    texts = texts_of(view)
    assert contains_run([text.split("\n\n1. ")[0] for text in texts], messages)
    assert sum(text.endswith("\n\n" + numbered(buttons, language)) for text in texts) == 1
    if content().render("entitlement", language).language == language:
        assert detect("\n".join(messages)).language == language


def test_whatsapp_reply_with_a_number_or_a_title_chooses_that_option(channels):
    _, buttons = rendered("fr")
    expected = expected_view(rest_replies(channels, [SAMPLES["fr"], buttons[2]["payload"]]), "twilio", "fr")
    title = buttons[2]["title"]
    plain_title = unicodedata.normalize("NFD", title.upper())
    plain_title = "".join(c for c in plain_title if unicodedata.category(c) != "Mn")
    for choice in ("3", " 3. ", title.lower(), plain_title):
        phone = new_phone()
        whatsapp(channels, phone, SAMPLES["fr"])
        assert whatsapp(channels, phone, choice) == expected, choice


def test_whatsapp_a_number_out_of_range_is_passed_on_as_typed(channels):
    phone = new_phone()
    whatsapp(channels, phone, SAMPLES["nl"])
    assert whatsapp(channels, phone, "9") == expected_view(rest_replies(channels, [SAMPLES["nl"], "9"]), "twilio", "nl")


def test_whatsapp_sends_the_card_as_media(channels):
    view = whatsapp(channels, new_phone(), GP_QUESTION)
    assert [item[1] for item in view if item[0] == "image"] == [f"{PUBLIC}/webhooks/cards/gp/nl.png"]
    assert any("000000000" in text for text in texts_of(view))
    assert view == expected_view(rest_replies(channels, [GP_QUESTION]), "twilio", "nl")


def test_whatsapp_signature_for_the_public_url_is_accepted_behind_a_proxy(channels):
    phone, mark = new_phone(), channels.twilio.mark()
    reply = twilio_send(channels, twilio_form(phone, SAMPLES["en"]), signed_url=f"{PUBLIC}/webhooks/twilio/webhook")
    assert reply.status_code == 204
    assert channels.twilio.calls_of("Messages.json", mark)


def test_whatsapp_rejects_bad_signatures_and_sends_nothing(channels):
    mark = channels.twilio.mark()
    form = twilio_form(new_phone(), SAMPLES["nl"])
    other = RequestValidator("another-token").compute_signature(channels.url("twilio"), form)
    tampered = RequestValidator(TWILIO_TOKEN).compute_signature(channels.url("twilio"), {**form, "Body": "hallo"})
    for signature in ("", "abc", other, tampered):
        reply = twilio_send(channels, form, signature=signature)
        assert reply.status_code == 403 and "error" in reply.json()
    reply = requests.post(channels.url("twilio"), data=form, timeout=30)
    assert reply.status_code == 403
    assert channels.twilio.calls[mark:] == []


def test_a_mediator_reply_pushed_later_reaches_the_real_number(channels):
    phone = new_phone()
    whatsapp(channels, phone, SAMPLES["en"])
    mark = channels.twilio.mark()
    sender = channels.sender_id("twilio", phone)
    reply = requests.post(
        f"{channels.servers.rasa}/conversations/{sender}/tracker/events",
        params={"token": channels.servers.token, "output_channel": "latest", "execute_side_effects": "true"},
        json={"event": "bot", "text": "Hello, I am a mediator."}, timeout=60)
    assert reply.status_code == 200, reply.text
    assert [(c.body["To"], c.body["Body"]) for c in channels.twilio.wait_for("Messages.json", mark)] == [
        (phone, "Hello, I am a mediator.")]


# --- Messenger -----------------------------------------------------------------------------------


def new_psid() -> str:
    psid = str(2_000_000_000_000_000 + uuid.uuid4().int % 10**15)
    ADDRESSES_USED.add(psid)
    return psid


def messenger_event(psid: str, text: str | None = None, quick_reply: str | None = None) -> dict:
    message: dict = {"mid": "m_" + uuid.uuid4().hex, "text": text or ""}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    now = int(time.time() * 1000)
    return {"object": "page", "entry": [{"id": "1234567890", "time": now, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "1234567890"}, "timestamp": now, "message": message}]}]}


def messenger_send(channels: Channels, payload, secret: str = MESSENGER_SECRET, headers: str = "both"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signatures = {}
    if headers in ("both", "sha256"):
        signatures["X-Hub-Signature-256"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if headers in ("both", "sha1"):
        signatures["X-Hub-Signature"] = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return timed_post("facebook", channels.url("facebook"), data=body,
                      headers={"Content-Type": "application/json", **signatures})


def test_messenger_answers_with_quick_replies_or_numbered_options(channels):
    psid, mark = new_psid(), channels.messenger.mark()
    assert messenger_send(channels, messenger_event(psid, SAMPLES["es"])).status_code == 200
    assert all(c.body["recipient"] == {"id": psid} and c.body["messaging_type"] == "RESPONSE"
               for c in channels.messenger.calls[mark:])
    view = messenger_view(channels, mark)
    assert view == expected_view(rest_replies(channels, [SAMPLES["es"]]), "facebook", "es")
    _, buttons = rendered("es")
    assert [tuple(p for _, p in item[2]) for item in view if item[2]] == [tuple(b["payload"] for b in buttons)]


def test_messenger_long_titles_are_numbered_with_number_quick_replies(channels):
    for language in SUPPORTED:
        _, buttons = rendered(language)
        if any(len(b["title"]) > 20 for b in buttons):
            break
    else:
        pytest.skip("no answer with a title over 20 characters")
    psid, mark = new_psid(), channels.messenger.mark()
    messenger_send(channels, messenger_event(psid, SAMPLES[language]))
    view = messenger_view(channels, mark)
    assert view == expected_view(rest_replies(channels, [SAMPLES[language]]), "facebook", language)
    with_options = [item for item in view if item[2]]
    assert [title for title, _ in with_options[0][2]] == [str(n) for n in range(1, len(buttons) + 1)]
    assert numbered(buttons, language) in with_options[0][1]


def test_messenger_quick_reply_and_number_choose_the_option(channels):
    _, buttons = rendered("pt")
    expected = expected_view(rest_replies(channels, [SAMPLES["pt"], buttons[0]["payload"]]), "facebook", "pt")
    for event in ("quick_reply", "number"):
        psid = new_psid()
        messenger_send(channels, messenger_event(psid, SAMPLES["pt"]))
        mark = channels.messenger.mark()
        choice = messenger_event(psid, buttons[0]["title"], quick_reply=buttons[0]["payload"]) \
            if event == "quick_reply" else messenger_event(psid, "1")
        messenger_send(channels, choice)
        assert messenger_view(channels, mark) == expected, event


def test_messenger_sends_the_card_as_an_image_and_accepts_sha1_only_signatures(channels):
    psid, mark = new_psid(), channels.messenger.mark()
    assert messenger_send(channels, messenger_event(psid, GP_QUESTION), headers="sha1").status_code == 200
    images = [c.body["message"]["attachment"] for c in channels.messenger.calls_of("me/messages", mark)
              if "attachment" in c.body["message"]]
    assert images == [{"type": "image", "payload": {"url": f"{PUBLIC}/webhooks/cards/gp/nl.png", "is_reusable": True}}]
    assert messenger_view(channels, mark) == expected_view(rest_replies(channels, [GP_QUESTION]), "facebook", "nl")


def test_messenger_rejects_bad_signatures_and_sends_nothing(channels):
    mark = channels.messenger.mark()
    event = messenger_event(new_psid(), SAMPLES["nl"])
    assert messenger_send(channels, event, secret="wrong").status_code == 403
    assert messenger_send(channels, event, secret="wrong", headers="sha1").status_code == 403
    assert messenger_send(channels, event, headers="none").status_code == 403
    signed = json.dumps(event).encode()
    tampered = signed.replace(b"zorg", b"Zorg")
    assert tampered != signed
    good = "sha256=" + hmac.new(MESSENGER_SECRET.encode(), signed, hashlib.sha256).hexdigest()
    reply = requests.post(channels.url("facebook"), data=tampered, headers={"X-Hub-Signature-256": good}, timeout=30)
    assert reply.status_code == 403 and "error" in reply.json()
    assert channels.messenger.calls[mark:] == []


def test_messenger_webhook_verification(channels):
    url = channels.url("facebook")
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY,
                                   "hub.challenge": "1158201444"}, timeout=30)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
                         timeout=30)
    assert wrong.status_code == 403


# --- Long answers ----------------------------------------------------------------------------------


def test_long_answers_are_split_at_sentences_under_each_providers_limit(channels):
    assert [r.get("text") for r in rest_replies(channels, [SAMPLES["en"], "/goodbye"])] == [LONG_ANSWER]
    limits = {"telegram": 4096, "twilio": 1600, "facebook": 2000}
    chat_id, phone, psid = new_chat_id(), new_phone(), new_psid()
    telegram_send(channels, telegram_update(channels, chat_id, SAMPLES["en"]))
    whatsapp(channels, phone, SAMPLES["en"])
    messenger_send(channels, messenger_event(psid, SAMPLES["en"]))
    marks = {"telegram": channels.telegram.mark(), "twilio": channels.twilio.mark(),
             "facebook": channels.messenger.mark()}
    telegram_send(channels, telegram_update(channels, chat_id, "/goodbye"))
    whatsapp(channels, phone, "/goodbye")
    messenger_send(channels, messenger_event(psid, "/goodbye"))
    parts = {
        "telegram": [c.body["text"] for c in channels.telegram.calls_of("sendMessage", marks["telegram"])],
        "twilio": [c.body["Body"] for c in channels.twilio.calls_of("Messages.json", marks["twilio"])],
        "facebook": [c.body["message"]["text"] for c in channels.messenger.calls_of("me/messages", marks["facebook"])],
    }
    for channel, texts in parts.items():
        assert len(texts) >= len(LONG_ANSWER) // limits[channel], channel
        assert all(len(t) <= limits[channel] and t.endswith("papers.") for t in texts), channel
        assert " ".join(texts) == LONG_ANSWER, channel


# --- Bad input -------------------------------------------------------------------------------------


BAD_TELEGRAM = [b"", b"not json", b"[]", b"null", b"\xff\xfe", json.dumps({"message": {}}).encode(),
                json.dumps({"update_id": "1", "message": {}}).encode(),
                json.dumps({"update_id": 1, "message": "hi"}).encode(),
                json.dumps({"update_id": 1, "message": {"chat": {"id": "x"}, "text": "hi"}}).encode(),
                json.dumps({"update_id": 1, "message": {"chat": {"id": 5}, "text": 5}}).encode(),
                json.dumps({"update_id": 1, "callback_query": {"id": 5}}).encode(),
                json.dumps({"update_id": 1, "message": {"chat": {"id": 5}, "text": "a" * 20_000}}).encode(),
                b"{" * 2_000_000]
BAD_MESSENGER = [b"", b"not json", b"[]", b"{}", json.dumps({"object": "page", "entry": "x"}).encode(),
                 json.dumps({"object": "page", "entry": [{"messaging": [{"sender": {"id": 5}}]}]}).encode(),
                 json.dumps({"object": "page", "entry": [{"messaging": ["x"]}]}).encode(),
                 json.dumps({"object": "page", "entry": [{"messaging": {"a": 1}}]}).encode(), b"x" * 2_000_000]


def test_malformed_input_gets_a_json_4xx_and_the_server_keeps_serving(channels):
    mark = (channels.telegram.mark(), channels.twilio.mark(), channels.messenger.mark())
    for body in BAD_TELEGRAM:
        reply = telegram_send(channels, body)
        assert 400 <= reply.status_code < 500 and "error" in reply.json(), body[:60]
    for body in BAD_MESSENGER:
        reply = messenger_send(channels, body)
        assert 400 <= reply.status_code < 500 and "error" in reply.json(), body[:60]
    url = channels.url("twilio")
    bad_forms = [({"Body": "hi"}, "form"), ({"From": "", "Body": "hi"}, "form"), ({"From": "whatsapp:+31"}, "json"),
                 ({"From": "whatsapp:+31", "Body": "a" * 20_000}, "form")]
    for form, kind in bad_forms:
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
        headers = {"X-Twilio-Signature": signature}
        reply = (requests.post(url, json=form, headers=headers, timeout=30) if kind == "json"
                 else requests.post(url, data=form, headers=headers, timeout=30))
        assert 400 <= reply.status_code < 500 and "error" in reply.json(), form
    huge = requests.post(url, data=b"Body=" + b"a" * 2_000_000,
                         headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert huge.status_code == 413
    assert (channels.telegram.calls[mark[0]:], channels.twilio.calls[mark[1]:], channels.messenger.calls[mark[2]:]) \
        == ([], [], [])
    # Updates that carry no text are accepted and ignored (Telegram would resend anything else).
    sticker = {"update_id": next(channels.updates), "message": {"message_id": 1, "date": 1, "chat": {"id": 5},
                                                                "sticker": {"file_id": "x"}}}
    assert telegram_send(channels, sticker).status_code == 200
    assert texts_of(whatsapp(channels, new_phone(), SAMPLES["tr"]))


# --- Privacy (last: it checks everything the tests above stored) -----------------------------------


def test_no_phone_number_or_provider_id_is_stored_or_logged(channels):
    key_file = channels.servers.state_dir / "sender_id_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(channels.servers.state_dir / "conversations.db") as db:
        senders = [row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")]
        stored = "\n".join(str(row) for row in db.execute("SELECT * FROM events"))
    assert len(ADDRESSES_USED) > 20
    assert stored and all(address not in stored for address in ADDRESSES_USED)
    assert any(s.startswith("twilio-") for s in senders) and any(s.startswith("telegram-") for s in senders)
    log = (channels.servers.state_dir / "rasa.log").read_text()
    assert all(address not in log for address in ADDRESSES_USED)
