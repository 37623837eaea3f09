"""The mediator inbox in a real browser (headless Chromium): a case shows, a reply reaches the person,
and what the person wrote is shown as text, never run as HTML."""
from __future__ import annotations

import json
import time

import pytest

from bot.content.store import content
from bot.handoff import cases
from tests.handoff.chat_user import ChatUser
from tests.handoff.mediator import PASSWORD, Mediator

pytestmark = pytest.mark.server
C = content()
XSS = "<img src=x onerror=alert(1)>"
ROS = "Stichting ROS (Rotterdams Ongedocumenteerden Steunpunt)"


def test_inbox_shows_the_case_and_sends_a_reply_and_never_runs_the_persons_html(servers, front, inbox_browser):
    Mediator(front, "ros-browser", "ros")  # creates the account (and marks ROS online)
    user = ChatUser(servers.rasa, "tr")
    context = inbox_browser.new_context(locale="nl-NL")
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        steps = [("/request_human", "handoff_consent"), ("/affirm", "handoff_ask_city"),
                 ("/inform" + json.dumps({"city": "Rotterdam"}), "handoff_ask_topic"),
                 ("/inform" + json.dumps({"handoff_choice": "topic:gp"}), "handoff_ask_contact"),
                 ("/inform" + json.dumps({"handoff_choice": "contact:chat"}), "handoff_summary")]
        for message, answer in steps:
            user.ask(message, C.render(answer, "tr", {"organisation": ROS}).messages[-1])
        user.ask("/affirm", C.render("handoff_sent_chat", "tr", {"organisation": ROS}).messages[0])
        case = cases.open_case_for_sender(user.session_id)

        page.goto(f"{front}/mediator/")
        assert "/login" in page.url
        page.fill("input[name=username]", "ros-browser")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{front}/mediator/")
        link = page.locator(f'a[href="/mediator/cases/{case.id}"]')
        assert link.count() == 1
        link.click()
        page.wait_for_url(f"{front}/mediator/cases/{case.id}")
        assert "Rotterdam" in page.inner_text("dl")

        user.say(f"merhaba {XSS}")
        person = page.locator("#messages li.from-person .text", has_text=XSS)
        person.wait_for(timeout=10000)
        assert page.locator("#messages img").count() == 0

        since = len(user.received)
        page.fill("#reply-text", "Merhaba, size yardım edeceğiz.")
        page.click("#reply button[type=submit]")
        user.wait_for(lambda text: text == "Merhaba, size yardım edeceğiz.", since, seconds=10)
        page.locator("#messages li.from-mediator", has_text="size yardım").wait_for(timeout=10000)
        time.sleep(0.5)
        assert dialogs == [] and errors == []
        assert cases.get_case(case.id).status == cases.TAKEN  # replying took the case
    finally:
        context.close()
        user.close()
