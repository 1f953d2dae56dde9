"""The front desk and the contact list as pages (the browser flows are in *_browser.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from indgang.conftest import CPR_A, PASSWORD, RegisterContact, Staff
from indgang.contacts.models import Contact
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_name_typed_without_a_number_is_kept_as_the_stated_name_and_listed(
    staff: Staff,
) -> None:
    client = client_for("front")

    response = client.post(
        reverse("front-desk"),
        {
            "channel": "phone",
            "name": "  Anna Hansen ",
            "summary": "Spørger om fjernvarme",
            "outcome": "resolved_at_first_contact",
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.party, contact.stated_name) == (None, "Anna Hansen")
    assert not Party.objects.exists()
    html = client.get(reverse("contact-list")).content.decode()
    assert "Anna Hansen <small>(oplyst)</small>" in html


def test_a_name_with_a_number_names_the_new_citizen_not_the_contact(staff: Staff) -> None:
    client_for("front").post(
        reverse("front-desk"),
        {
            "identifier": CPR_A,
            "channel": "phone",
            "name": "Karen Jensen",
            "summary": "Spørger om fjernvarme",
            "outcome": "resolved_at_first_contact",
        },
    )

    contact = Contact.objects.select_related("party").get()
    assert contact.party is not None and contact.party.name == "Karen Jensen"
    assert contact.stated_name == ""


def test_the_list_withholds_another_departments_stated_name_from_the_front_line(
    staff: Staff, register: RegisterContact
) -> None:
    register(by=staff.caseworker, party_name="Ole Olsen", summary="Carport")

    html = client_for("front").get(reverse("contact-list")).content.decode()

    assert "Ole Olsen" not in html
    assert "Tilbageholdt" in html


def test_the_front_desk_shows_its_keys_and_loads_its_script(staff: Staff) -> None:
    html = client_for("front").get(reverse("front-desk")).content.decode()

    assert html.count('aria-keyshortcuts="Alt+') == 5  # four outcomes and the timer
    assert 'aria-keyshortcuts="Alt+1 Control+Enter"' in html
    assert html.count('data-next="id_summary"') == 2  # from the number and from the name
    assert 'src="/static/indgang/front_desk.js"' in html
    assert 'data-url="/catalogue/summary-templates/"' in html
