"""Administrators' template screens and the templates API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from indgang.conftest import ApiFor, Staff, staff_client
from indgang.letters.constants import LetterKind
from indgang.letters.models import LetterTemplateVersion

# 7 words, 2 sentences, 4 long: LIX 60.6, above the default limit of 40.
HARD = "<p>Kære {{ recipient_name }}</p><p>Kommunen behandler ansøgningen hurtigt.</p>"


def versions() -> list[tuple[str, int, str]]:
    return list(
        LetterTemplateVersion.objects.order_by("pk").values_list("template__kind", "number", "body")
    )


def danish(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    return client


@pytest.mark.django_db
def test_only_administrators_see_the_template_screens(staff: Staff) -> None:
    for user in (staff.caseworker, staff.manager):
        assert staff_client(user).get(reverse("letter-template-list")).status_code == 403
    page = danish(staff_client(staff.admin)).get(reverse("letter-template-list"))
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == 1 + len(LetterKind)
    assert "Afgørelse med klagevejledning" in page.content.decode()


@pytest.mark.django_db
def test_saving_an_edit_adds_a_version_and_warns_above_the_lix_limit(staff: Staff) -> None:
    client = danish(staff_client(staff.admin))
    url = reverse("letter-template-edit", args=[LetterKind.RECEIPT])
    answer = client.post(url, {"title": "Kvittering", "body": HARD}, follow=True)
    assert answer.redirect_chain == [(url, 302)]
    page = answer.content.decode()
    assert "Version 2 af skabelonen er gemt." in page
    assert "Tekstens LIX er 60,6, over grænsen på 40: brug kortere sætninger og ord." in page
    version = LetterTemplateVersion.objects.get(template__kind=LetterKind.RECEIPT, number=2)
    assert (version.body, version.lix, version.created_by) == (HARD, Decimal("60.6"), staff.admin)
    history = client.get(reverse("letter-template-versions", args=[LetterKind.RECEIPT]))
    text = history.content.decode()
    assert text.index("<td>2</td>") < text.index("<td>1</td>")
    assert "Leveret med Indgang" in text


@pytest.mark.django_db
def test_a_bad_template_is_shown_with_its_error_and_nothing_saved(staff: Staff) -> None:
    before = versions()
    client = danish(staff_client(staff.admin))
    url = reverse("letter-template-edit", args=[LetterKind.RECEIPT])
    answer = client.post(url, {"title": "Kvittering", "body": "{{ decision_text }}"})
    assert answer.status_code == 200
    assert "Ukendt variabel: decision_text." in answer.content.decode()
    assert versions() == before


@pytest.mark.django_db
def test_the_preview_renders_the_text_with_example_data_and_its_lix(staff: Staff) -> None:
    before = versions()
    client = danish(staff_client(staff.admin))
    url = reverse("letter-template-preview", args=[LetterKind.DEFICIENCY])
    body = "<p>Send {{ missing_items|join:' og ' }} senest {{ deadline_date|date:'j. F' }}.</p>"
    answer = client.post(url, {"title": "Sag {{ case_number }}", "body": body})
    page = answer.content.decode()
    assert "<h2>Sag 2026-000123</h2>" in page
    sentence = "Send En tegning af facaden og Et situationsplan med mål senest 16. marts."
    assert f"<p>{sentence}</p>" in page
    # 12 words, 1 sentence, 3 long (tegning, facaden, situationsplan): 12 + 25.
    assert "<p>LIX: 37,0</p>" in page
    assert versions() == before


@pytest.mark.django_db
def test_the_api_lists_each_kind_s_current_version_with_its_lix(
    staff: Staff, api_for: ApiFor
) -> None:
    answer = api_for(staff.caseworker).get("/api/v1/letter-templates/")
    assert answer.status_code == 200
    rows = answer.json()
    assert [row["kind"] for row in rows] == sorted(LetterKind.values)
    receipt = rows[sorted(LetterKind.values).index(LetterKind.RECEIPT)]
    stored = LetterTemplateVersion.objects.get(template__kind=LetterKind.RECEIPT)
    assert receipt == {
        "kind": "receipt",
        "number": 1,
        "title": "Vi har modtaget din ansøgning",
        "body": stored.body,
        "lix": float(stored.lix),
        "over_lix_limit": False,
        "created_by": None,
        "created_at": receipt["created_at"],
    }


@pytest.mark.django_db
def test_an_administrator_creates_a_version_through_the_api(staff: Staff, api_for: ApiFor) -> None:
    url = f"/api/v1/letter-templates/{LetterKind.RECEIPT}/versions/"
    answer = api_for(staff.admin).post(url, {"title": "Kvittering", "body": HARD}, format="json")
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("kind", "number", "lix", "over_lix_limit")} == {
        "kind": "receipt",
        "number": 2,
        "lix": 60.6,
        "over_lix_limit": True,
    }
    assert answer.json()["created_by"] == "admin"


@pytest.mark.django_db
def test_the_api_refuses_others_a_bad_template_and_an_unknown_kind(
    staff: Staff, api_for: ApiFor
) -> None:
    before = versions()
    url = f"/api/v1/letter-templates/{LetterKind.RECEIPT}/versions/"
    body = {"title": "Kvittering", "body": "Hej"}
    refused = api_for(staff.caseworker).post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="da")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Kun administratorer må ændre brevskabeloner."}
    admin = api_for(staff.admin)
    bad = admin.post(
        url, {"title": "Kvittering", "body": "{% if %}"}, format="json", HTTP_ACCEPT_LANGUAGE="da"
    )
    assert bad.status_code == 400
    assert list(bad.json()) == ["body"]
    assert bad.json()["body"][0].startswith("Skabelonen kan ikke oversættes:")
    missing = admin.post(url, {"title": ""}, format="json", HTTP_ACCEPT_LANGUAGE="da")
    assert missing.status_code == 400
    assert sorted(missing.json()) == ["body", "title"]
    unknown = admin.post("/api/v1/letter-templates/nonsense/versions/", body, format="json")
    assert unknown.status_code == 404
    assert versions() == before
