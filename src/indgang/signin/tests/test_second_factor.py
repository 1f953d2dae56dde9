"""The second factor: managers and administrators enrol a TOTP device and give its code."""

from __future__ import annotations

import time
from base64 import b32decode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from indgang.conftest import PASSWORD, ApiFor, Staff

WRONG_CODE = "Koden er forkert eller for gammel. Prøv den kode, appen viser nu."
API_HELD = {"detail": "Log ind med din anden faktor, før du bruger API'et."}


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    return f"{totp(device.bin_key, step=30, t0=0, digits=6, drift=steps_ahead):06d}"


def log_in(username: str) -> tuple[Client, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client, response["Location"]


def test_a_manager_must_enrol_before_any_staff_page_or_the_session_api(
    staff: Staff, api_for: ApiFor
) -> None:
    client, location = log_in("leder")

    assert location == "/login/second-factor/?next=%2F"
    page = client.get("/contacts/")
    assert (page.status_code, page["Location"]) == (
        302,
        "/login/second-factor/?next=%2Fcontacts%2F",
    )
    assert client.get("/login/second-factor/")["Location"].startswith("/login/second-factor/enrol/")
    api = client.get("/api/v1/contacts/")
    assert (api.status_code, api.json()) == (403, API_HELD)
    # A token is a credential of its own: the manager's integration is not held.
    assert api_for(staff.manager).get("/api/v1/contacts/").status_code == 200


def test_enrolment_refuses_a_wrong_code_and_confirms_the_right_one(staff: Staff) -> None:
    client, _ = log_in("leder")
    page = client.get("/login/second-factor/enrol/?next=/contacts/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=staff.manager)
    secret = page.context["secret"].replace(" ", "")
    assert b32decode(secret) == device.bin_key

    wrong = client.post("/login/second-factor/enrol/", {"code": "000000", "next": "/contacts/"})
    assert wrong.status_code == 400
    assert WRONG_CODE in wrong.content.decode()
    assert TOTPDevice.objects.get(user=staff.manager).confirmed is False
    assert client.get("/contacts/").status_code == 302

    # django-otp makes a failed device wait a second before the next try.
    time.sleep(1.1)
    right = client.post(
        "/login/second-factor/enrol/", {"code": code_for(device), "next": "/contacts/"}
    )

    assert (right.status_code, right["Location"]) == (302, "/contacts/")
    assert TOTPDevice.objects.get(user=staff.manager).confirmed is True
    assert client.get("/contacts/").status_code == 200
    assert client.get("/api/v1/contacts/").status_code == 200


def test_an_enrolled_manager_gives_the_code_and_cannot_enrol_another_device(
    staff: Staff,
) -> None:
    device = TOTPDevice.objects.create(user=staff.manager, name="Indgang", confirmed=True)
    client, location = log_in("leder")
    assert location.startswith("/login/second-factor/?next=")
    enrol = client.get("/login/second-factor/enrol/")
    assert enrol["Location"].startswith("/login/second-factor/?next=")
    assert TOTPDevice.objects.filter(user=staff.manager).count() == 1

    wrong = client.post("/login/second-factor/", {"code": "12345x"})
    assert wrong.status_code == 400
    assert "Indtast de seks cifre fra appen." in wrong.content.decode()
    right = client.post("/login/second-factor/", {"code": code_for(device)})

    assert right.status_code == 302
    assert client.get("/contacts/").status_code == 200


def test_a_superuser_must_give_a_second_factor_for_the_admin(staff: Staff) -> None:
    User.objects.create_superuser("it", "it@example.dk", PASSWORD)
    client = Client()
    client.post("/login/?next=/admin/", {"username": "it", "password": PASSWORD})

    admin = client.get("/admin/")

    assert admin["Location"] == "/login/second-factor/?next=%2Fadmin%2F"


def test_a_caseworker_needs_no_second_factor_until_they_enrol(staff: Staff) -> None:
    client, location = log_in("byg")
    assert location == "/"
    assert client.get("/contacts/").status_code == 200
    client.get("/login/second-factor/enrol/")
    device = TOTPDevice.objects.get(user=staff.caseworker)
    client.post("/login/second-factor/enrol/", {"code": code_for(device)})
    assert TOTPDevice.objects.get(user=staff.caseworker).confirmed is True

    again, location = log_in("byg")

    assert location.startswith("/login/second-factor/?next=")
    assert SESSION_KEY in again.session
    assert again.get("/contacts/").status_code == 302
