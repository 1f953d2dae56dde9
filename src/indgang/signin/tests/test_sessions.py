"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_HOURS after login."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from pytest_django.fixtures import Settings

from indgang.conftest import PASSWORD, Staff

PAGE = "/contacts/"


class Clock:
    """time.time() moved on by the test: the middleware reads the real clock."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)

    def advance(self, *, minutes: float) -> None:
        self.offset += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _logged_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def assert_sent_to_login(client: Client, message: str) -> None:
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain == [(f"/login/?next={PAGE}", 302)]
    assert SESSION_KEY not in client.session
    assert message in response.content.decode()


def test_an_idle_session_ends_and_the_login_page_says_why(
    staff: Staff, settings: Settings, clock: Clock
) -> None:
    settings.SESSION_IDLE_MINUTES = 30
    client = _logged_in("byg")
    clock.advance(minutes=29)
    assert client.get(PAGE).status_code == 200  # in use: the idle clock starts again
    clock.advance(minutes=29)
    assert client.get(PAGE).status_code == 200

    clock.advance(minutes=31)

    assert_sent_to_login(client, "Du er logget ud, fordi du ikke har været aktiv i et stykke tid.")


def test_a_session_in_use_ends_after_its_absolute_lifetime(
    staff: Staff, settings: Settings, clock: Clock
) -> None:
    settings.SESSION_HOURS = 1
    client = _logged_in("byg")
    for _ in range(3):
        clock.advance(minutes=19)
        assert client.get(PAGE).status_code == 200

    clock.advance(minutes=4)  # 61 minutes after login, 4 after the last request

    assert_sent_to_login(client, "Du er logget ud, fordi din session var for gammel. Log ind igen.")


def test_an_idle_session_no_longer_reaches_the_api(
    staff: Staff, settings: Settings, clock: Clock
) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    client = _logged_in("byg")
    assert client.get("/api/v1/contacts/").status_code == 200

    clock.advance(minutes=6)
    response = client.get("/api/v1/contacts/")

    assert response.status_code == 401
    assert SESSION_KEY not in client.session


def test_a_fresh_request_does_not_save_the_session(staff: Staff, clock: Clock) -> None:
    """The last-seen time is written once a minute, not on every request."""
    client = _logged_in("byg")
    before = dict(client.session.items())
    clock.advance(minutes=0.5)
    client.get(PAGE)
    assert dict(client.session.items()) == before
    clock.advance(minutes=1)
    client.get(PAGE)
    assert dict(client.session.items()) != before


def test_the_session_cookie_lasts_the_absolute_lifetime_and_is_lax(
    staff: Staff, settings: Settings
) -> None:
    client = _logged_in("byg")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]

    assert (cookie["max-age"], cookie["samesite"], cookie["httponly"]) == (36000, "Lax", True)
