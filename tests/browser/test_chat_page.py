"""The chat page in headless Chromium, against a real Rasa, action server and web front.

Each test is a new visitor (a fresh browser context); the conftest fails any test whose page made a
request to another host than this machine, or threw an uncaught error.
"""
from __future__ import annotations

import json
from functools import cache
from urllib.parse import urlsplit

import pytest
import yaml

from bot.content.store import content
from bot.languages import RIGHT_TO_LEFT, SUPPORTED
from bot.paths import ROOT
from bot.web.chat import page_texts
from tests.browser.chat_page import INPUT

pytestmark = pytest.mark.server


def flat(text: str) -> str:
    return " ".join(text.split())


def said(answer_id: str, language: str) -> list[str]:
    """The messages of an answer, as the content files have them."""
    return [flat(message) for message in content().render(answer_id, language).messages]


def button_title(button: str, language: str) -> str:
    return content().languages[language].buttons[button]


@cache
def question(language: str, intent: str) -> str:
    """A real message for `intent` in `language`, from that language's conversation tests."""
    stories = yaml.safe_load((ROOT / "tests" / "conversations" / f"test_{language}.yml").read_text("utf-8"))
    for story in stories["stories"]:
        for step in story["steps"]:
            if step.get("intent") == intent and "user" in step:
                return step["user"].strip()
    raise LookupError(f"no {intent} message in tests/conversations/test_{language}.yml")


def session_id(stored: str | None) -> str | None:
    return (json.loads(stored) or {}).get("session_id") if stored else None


def test_a_message_gets_its_reply_and_the_history_survives_a_reload(chat):
    greeting = chat.open(lang="en")
    assert flat(greeting[0]) == said("greet", "en")[0]
    replies = chat.send(question("en", "ask_costs"))
    assert flat(replies[0]) == said("costs", "en")[0]
    bot_before, user_before = chat.bot_messages(), chat.user_messages()
    stored_session = session_id(chat.stored_chat()["local"])

    chat.reload()
    assert chat.bot_messages() == bot_before and chat.user_messages() == user_before
    assert session_id(chat.stored_chat()["local"]) == stored_session
    # The same conversation goes on after the reload.
    replies = chat.send(question("en", "ask_what_to_tell_gp"))
    assert flat(replies[0]) == said("what_to_tell_gp", "en")[0]


def test_arabic_reads_right_to_left_and_dutch_parts_left_to_right(chat):
    before = len(chat.open(lang="en"))
    chat.page.select_option("#language", "ar")
    chat.page.wait_for_url("**lang=ar**")
    replies = chat.wait_for_bot_messages(after=before)
    assert said("language_changed", "ar")[0] in [flat(reply) for reply in replies]
    assert chat.page.get_attribute("html", "dir") == "rtl"
    assert chat.direction(".rw-messages-container") == "rtl"
    assert chat.direction(INPUT) == "rtl"

    replies = [flat(reply) for reply in chat.send(question("ar", "ask_what_to_tell_gp"))]
    dutch_heading = content().languages["nl"].notes["card_heading"]
    dutch_block = next(i for i, reply in enumerate(replies) if reply.startswith(dutch_heading))
    arabic_answer = replies.index(said("what_to_tell_gp", "ar")[0])
    first_new = len(chat.bot_messages()) - len(replies)
    directions = chat.page.eval_on_selector_all(
        ".rw-response .rw-message-text", "elements => elements.map(element => getComputedStyle(element).direction)"
    )
    assert directions[first_new + arabic_answer] == "rtl"
    assert directions[first_new + dutch_block] == "ltr"


def test_a_button_sends_its_choice_and_gets_the_answer(chat):
    chat.open(lang="fr")
    title = button_title("costs", "fr")
    replies = chat.press_button(title)
    assert flat(replies[0]) == said("costs", "fr")[0]
    assert chat.user_messages()[-1] == title


def test_a_button_can_be_chosen_with_the_keyboard(chat):
    chat.open(lang="tr")
    title = button_title("costs", "tr")
    button = chat.page.get_by_role("button", name=title)
    button.focus()
    before = len(chat.bot_messages())
    chat.page.keyboard.press("Enter")
    replies = chat.wait_for_bot_messages(after=before)
    assert flat(replies[0]) == said("costs", "tr")[0]


def test_asking_what_to_say_at_the_gp_shows_the_card_text_image_and_printable_page(chat, servers):
    chat.open(lang="nl")
    replies = [flat(reply) for reply in chat.send(question("nl", "ask_what_to_tell_gp"))]
    assert content().languages["nl"].notes["card_title"] in replies
    assert any(reply.startswith(content().languages["nl"].notes["card_heading"]) for reply in replies)
    image = chat.page.locator("img[src$='/webhooks/cards/gp/nl.png']")
    image.wait_for(timeout=30_000)
    chat.wait_until("image => image.complete && image.naturalWidth > 0", image.element_handle())
    assert image.get_attribute("src").startswith(servers.rasa)
    printable = chat.page.locator("a[href$='/webhooks/cards/gp/nl.html']")
    assert printable.count() >= 1
    response = chat.page.request.get(printable.first.get_attribute("href"))
    assert response.status == 200 and "Voor de balie" in response.text()


def test_the_clear_button_removes_the_chat_from_this_device(chat):
    chat.open(lang="en")
    chat.send(question("en", "ask_costs"))
    old_session = session_id(chat.stored_chat()["local"])
    assert old_session

    chat.page.click("#clear-chat")
    chat.wait_until("() => document.getElementById('status').textContent.length > 0")
    greeting = chat.wait_for_bot_messages(after=0)
    assert chat.page.text_content("#status") == page_texts("en")["cleared"]
    assert chat.user_messages() == [] and said("costs", "en")[0] not in [flat(m) for m in greeting]
    new_session = session_id(chat.stored_chat()["local"])
    assert new_session and new_session != old_session
    assert "cleared" not in chat.page.url  # a reload does not announce it again


def test_discreet_mode_has_a_neutral_title_and_keeps_the_chat_only_in_the_tab(chat):
    chat.open(lang="en")
    chat.send(question("en", "ask_costs"))
    history = chat.bot_messages()
    assert chat.page.title() == page_texts("en")["title"]

    chat.page.check("#discreet")
    chat.page.wait_for_url("**discreet=1**")
    chat.wait_for_bot_messages(after=0)
    assert chat.page.title() == page_texts("en")["neutral_title"]
    assert page_texts("en")["title"] not in chat.page.content()
    assert chat.bot_messages() == history
    stored = chat.stored_chat()
    assert stored["local"] is None and stored["session"]


def test_markup_typed_by_the_user_is_shown_as_text_and_never_runs(chat):
    chat.open(lang="en")
    attacks = [
        '<img src=x onerror="window.__attacked = 1">',
        "<script>window.__attacked = 2</script>",
        '<svg onload="window.__attacked = 3"></svg>',
        "[click me](javascript:window.__attacked=4)",
    ]
    for attack in attacks:
        chat.send(attack)
    for link in chat.page.locator(".rw-client a").all():
        link.click()
    assert chat.page.evaluate("window.__attacked") is None
    assert chat.page.locator(".rw-client img, .rw-client script, .rw-client svg").count() == 0
    assert chat.page.locator("a[href^='javascript']").count() == 0
    shown = chat.user_messages()
    assert attacks[0] in shown and attacks[1] in shown and attacks[2] in shown


def test_controls_are_labelled_and_reachable_with_the_keyboard(chat):
    chat.open(lang="en")
    texts = page_texts("en")
    assert chat.page.get_by_label(texts["language"]).count() == 1
    assert chat.page.get_by_role("textbox", name=texts["message"]).count() == 1
    assert chat.page.get_by_role("button", name=texts["send"]).count() == 1
    assert chat.page.get_by_role("button", name=texts["clear"]).count() == 1
    assert chat.page.get_by_role("log", name=texts["conversation"]).count() == 1
    privacy = chat.page.get_by_role("link", name=texts["privacy_link"])
    assert privacy.get_attribute("href") == "/privacy?lang=en"
    reached = []
    for _ in range(12):
        chat.page.keyboard.press("Tab")
        reached.append(chat.page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert {"language", "discreet", "clear-chat"} <= set(reached)
    assert any("rw-new-message" in element for element in reached)


def test_the_page_talks_to_this_machine_only(chat, servers):
    chat.open(lang="fa")
    chat.send(question("fa", "ask_what_to_tell_gp"))
    chat.page.locator("img[src$='/webhooks/cards/gp/fa.png']").wait_for(timeout=30_000)
    hosts = {urlsplit(url).netloc for url in chat.recorder.urls if not url.startswith("data:")}
    assert urlsplit(servers.web).netloc in hosts and urlsplit(servers.rasa).netloc in hosts
    assert not chat.recorder.foreign_requests()


@pytest.mark.parametrize("language", SUPPORTED)
def test_each_language_gets_its_page_greeting_and_answers(chat, language):
    greeting = chat.open(lang=language)
    assert chat.page.title() == page_texts(language)["title"]
    assert chat.page.get_attribute("html", "lang") == language
    assert chat.page.get_attribute("html", "dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr")
    assert flat(greeting[0]) == said("greet", language)[0]
    replies = chat.send(question(language, "ask_costs"))
    assert flat(replies[0]) == said("costs", language)[0]
