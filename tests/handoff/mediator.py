"""A mediator in the inbox: a logged-in HTTP session with its CSRF token."""
from __future__ import annotations

import re

import requests

from bot.web import auth

PASSWORD = "mediator password 123"


class Mediator:
    def __init__(self, front: str, username: str, organisation: str) -> None:
        auth.add_account(username, organisation, "mediator", PASSWORD)
        self.front = front
        self.session = requests.Session()
        form = self.session.get(f"{front}/login", timeout=10)
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        response = self.session.post(f"{front}/login", data={"username": username, "password": PASSWORD,
                                                              "csrf": csrf}, allow_redirects=False, timeout=30)
        assert response.status_code == 303, response.text
        inbox = self.session.get(f"{front}/mediator/", timeout=10)  # also marks the mediator online
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', inbox.text).group(1)

    def inbox(self) -> str:
        response = self.session.get(f"{self.front}/mediator/", timeout=10)
        assert response.status_code == 200
        return response.text

    def get(self, path: str) -> requests.Response:
        return self.session.get(f"{self.front}{path}", timeout=30)

    def post(self, path: str, data: dict | None = None, csrf: bool = True) -> requests.Response:
        data = dict(data or {})
        if csrf:
            data["csrf"] = self.csrf
        return self.session.post(f"{self.front}{path}", data=data, allow_redirects=False, timeout=30)
