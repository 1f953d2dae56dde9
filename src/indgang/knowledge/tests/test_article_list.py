"""The knowledge base by KLE main group, its KLE descriptions folded, and the task picker."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from indgang.catalogue.models import KleEntry, Task
from indgang.conftest import PASSWORD, Org, Staff
from indgang.knowledge.models import Article
from indgang.knowledge.tests.fixtures import MakeArticle

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def description_of(make_article: MakeArticle, number: str) -> Article:
    """An article as the demo seeds one per KLE topic: the topic's own guidance."""
    topic = KleEntry.objects.get(number=number)
    assert topic.guidance
    return make_article(
        title=f"Hvad dækker KLE {topic.number} {topic.title}?",
        answer=topic.guidance,
        kle_topics=[topic],
    )


def sections(html: str) -> list[tuple[str, str]]:
    """Each category's id and heading, in order."""
    return re.findall(r'<h2 id="(kle-[^"]+)">([^<]+)</h2>', html)


def test_articles_are_grouped_by_kle_main_group_with_descriptions_folded(
    make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]
) -> None:
    written = make_article(
        title="Fjernvarme: hvem skal tilsluttes?",
        kle_topics=list(KleEntry.objects.filter(number="13.03.20")),
    )
    by_task = make_article(title="Grundvand: hvem gør hvad?", tasks=[tasks["groundwater"]])
    description = description_of(make_article, "13.02.17")
    loose = make_article(title="Åbningstider")

    html = client_for("byg").get("/knowledge/").content.decode()

    assert sections(html) == [("kle-13", "13 Forsyning"), ("kle-other", "Uden KLE-emne")]
    supply = html[html.index('id="kle-13"') : html.index('id="kle-other"')]
    table, folded = supply.split('<details class="kle-descriptions">')
    assert re.findall(r"/knowledge/articles/(\d+)/", table) == [str(written.pk), str(by_task.pk)]
    assert "<summary>1 beskrivelse af et KLE-emne</summary>" in folded
    assert f'href="/knowledge/articles/{description.pk}/"' in folded
    assert f'href="/knowledge/articles/{loose.pk}/"' in html[html.index('id="kle-other"') :]
    assert "4 artikler" in html


def test_a_search_opens_the_folded_descriptions_it_finds(
    make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]
) -> None:
    description = description_of(make_article, "13.02.17")

    html = client_for("byg").get("/knowledge/", {"q": "KLE 13.02.17"}).content.decode()

    assert '<details class="kle-descriptions" open>' in html
    assert f'href="/knowledge/articles/{description.pk}/"' in html


def test_a_description_given_an_answer_of_its_own_is_listed_as_written(
    make_article: MakeArticle, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    description = description_of(make_article, "13.02.17")
    client = client_for("byg")
    client.post(
        f"/knowledge/articles/{description.pk}/edit/",
        {
            "title": description.title,
            "answer": "Ring til Ydelser, de ved det.",
            "audience": "staff",
            "owner_unit": org.building_unit.pk,
            "review_on": description.review_on.isoformat(),
            "kle_topics": "13.02.17",
            "version": "1",
        },
    )

    html = client.get("/knowledge/").content.decode()

    assert "kle-descriptions" not in html
    assert f'<td><a href="/knowledge/articles/{description.pk}/">' in html


def test_the_list_costs_the_same_statements_for_few_or_many_articles(
    make_article: MakeArticle,
    staff: Staff,
    tasks: dict[str, Task],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for("byg")
    make_article(title="A", tasks=[tasks["heating"]])
    client.get("/knowledge/")
    with django_assert_num_queries(9) as few:
        client.get("/knowledge/")
    for n in range(10):
        make_article(title=f"B{n}", tasks=[tasks["groundwater"]])
        description_of(make_article, "13.02.17")
    with django_assert_num_queries(len(few.captured_queries)):
        assert "21 artikler" in client.get("/knowledge/").content.decode()


def test_the_task_picker_groups_checkboxes_by_department_and_opens_the_chosen(
    make_article: MakeArticle, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    article = make_article(tasks=[tasks["heating"]])

    new = client_for("byg").get("/knowledge/articles/new/").content.decode()
    edit = client_for("byg").get(f"/knowledge/articles/{article.pk}/edit/").content.decode()

    assert "<select" not in new[new.index('class="task-picker"') :].split("</fieldset>")[0]
    picker = new[new.index('class="task-picker"') :].split("</fieldset>")[0]
    assert re.findall(r"<summary>([^<]+)</summary>", picker) == [
        "Familie og Arbejde",
        "Teknik og Miljø",
    ]
    assert (
        f'<input type="checkbox" name="tasks" value="{tasks["heating"].pk}" '
        'id="id_tasks_1" checked>' in edit
    )
    assert '<label for="id_tasks_1">Tilslutning til fjernvarme</label>' in edit
    assert re.findall(r"<details( open)?>\s*<summary>(.*?)</summary>", edit) == [
        ("", "Familie og Arbejde"),
        (" open", 'Teknik og Miljø <span class="badge">1 valgt</span>'),
    ]


def test_tasks_ticked_in_the_picker_are_saved(
    staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    response = client_for("byg").post(
        "/knowledge/articles/new/",
        {
            "title": "Fjernvarme og grundvand",
            "answer": "Se opgaverne.",
            "audience": "staff",
            "owner_unit": org.building_unit.pk,
            "review_on": "2099-01-01",
            "tasks": [tasks["heating"].pk, tasks["groundwater"].pk],
        },
    )

    assert response.status_code == 302
    assert sorted(Article.objects.get().tasks.values_list("title", flat=True)) == [
        "Bortledning af grundvand",
        "Tilslutning til fjernvarme",
    ]
