"""Summary templates: a task's ready summaries, offered at the front desk and in the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from indgang.catalogue.models import SummaryTemplate, Task
from indgang.catalogue.selectors import SUMMARY_TEMPLATES_SHOWN, list_summary_templates
from indgang.catalogue.services import add_summary_templates
from indgang.conftest import PASSWORD, ApiFor, Staff

pytestmark = pytest.mark.django_db

PASSPORT = ["Fornyelse af pas: bestil tid.", "Mistet pas: anmeld til politiet."]


def test_adding_templates_keeps_their_order_and_a_second_run_adds_nothing(
    tasks: dict[str, Task],
) -> None:
    heating = tasks["heating"]

    assert add_summary_templates(task=heating, texts=[*PASSPORT, PASSPORT[0]]) == 2
    assert add_summary_templates(task=heating, texts=[*PASSPORT, "Ny tekst"]) == 1

    assert [(t.text, t.position) for t in list_summary_templates(task_id=heating.pk)] == [
        (PASSPORT[0], 1),
        (PASSPORT[1], 2),
        ("Ny tekst", 3),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        SummaryTemplate.objects.create(task=heating, text=PASSPORT[0], position=9)


def test_the_front_desk_is_offered_the_first_nine_of_an_active_task_only(
    tasks: dict[str, Task],
) -> None:
    heating, rats = tasks["heating"], tasks["groundwater"]
    add_summary_templates(task=heating, texts=[f"Skabelon {n}" for n in range(1, 12)])
    add_summary_templates(task=rats, texts=["Grundvand"])

    shown = list_summary_templates(task_id=heating.pk)

    assert SUMMARY_TEMPLATES_SHOWN == 9
    assert [t.text for t in shown] == [f"Skabelon {n}" for n in range(1, 10)]
    Task.objects.filter(pk=rats.pk).update(is_active=False)
    assert list_summary_templates(task_id=rats.pk) == []


def test_the_templates_fragment_numbers_each_with_its_key(
    staff: Staff, tasks: dict[str, Task]
) -> None:
    add_summary_templates(task=tasks["heating"], texts=PASSPORT)
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=staff.frontline.username, password=PASSWORD)
    url = reverse("summary-templates")

    html = client.get(url, {"task": tasks["heating"].pk}).content.decode()

    assert "Resuméskabeloner" in html
    assert html.count('data-template="') == 2
    assert f'data-template="{PASSPORT[1]}"\n                aria-keyshortcuts="Alt+Shift+2"' in html
    for bad in ("", "x", "-1", "٣", "99999999999999999999"):
        response = client.get(url, {"task": bad})
        assert (response.status_code, response.content.decode().strip()) == (200, "")


def test_an_administrator_adds_a_template_in_the_admin_choosing_among_active_tasks(
    administrator: Client, tasks: dict[str, Task]
) -> None:
    Task.objects.filter(pk=tasks["groundwater"].pk).update(is_active=False)
    form = administrator.get("/admin/catalogue/summarytemplate/add/").content.decode()
    assert f'<option value="{tasks["heating"].pk}">' in form
    assert f'<option value="{tasks["groundwater"].pk}">' not in form

    response = administrator.post(
        "/admin/catalogue/summarytemplate/add/",
        {"task": tasks["heating"].pk, "text": PASSPORT[0], "position": "2"},
    )

    assert response.status_code == 302
    assert [t.text for t in list_summary_templates(task_id=tasks["heating"].pk)] == [PASSPORT[0]]


def test_the_fragment_is_for_staff_only(tasks: dict[str, Task], db: None) -> None:
    User.objects.create_user(username="nobody", password=PASSWORD)
    client = Client()
    assert client.login(username="nobody", password=PASSWORD)

    assert (
        client.get(reverse("summary-templates"), {"task": tasks["heating"].pk}).status_code == 403
    )


def test_the_api_lists_each_tasks_templates_in_one_query_for_all(
    api_for: ApiFor,
    staff: Staff,
    tasks: dict[str, Task],
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    add_summary_templates(task=tasks["heating"], texts=PASSPORT)
    api = api_for(staff.frontline)

    with django_assert_max_num_queries(6):
        results = api.get("/api/v1/catalogue/tasks/").json()["results"]

    by_title = {task["title"]: task["summary_templates"] for task in results}
    assert by_title[tasks["heating"].title] == PASSPORT
    assert by_title[tasks["groundwater"].title] == []
