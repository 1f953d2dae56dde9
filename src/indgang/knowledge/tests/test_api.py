from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import ApiFor, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.knowledge.models import Article, KnowledgeUse, Revision
from indgang.knowledge.tests.fixtures import MakeArticle

pytestmark = pytest.mark.django_db


def test_an_article_is_created_changed_and_its_history_listed_through_the_api(
    api_for: ApiFor, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    api = api_for(staff.caseworker)
    review_on = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    body = {
        "title": "Carport",
        "answer": "Anmeld den.",
        "audience": "public",
        "owner_unit": org.building_unit.pk,
        "review_on": review_on,
        "links": [{"label": "Byg og Miljø", "url": "https://bygogmiljoe.dk"}],
        "tasks": [tasks["heating"].pk],
        "kle_topics": ["13.03.20"],
    }

    created = api.post("/api/v1/knowledge/articles/", body, format="json")
    article_id = created.json()["id"]
    changed = api.put(
        f"/api/v1/knowledge/articles/{article_id}/",
        body | {"answer": "Anmeld den på Byg og Miljø.", "version": 1},
        format="json",
    )
    history = api.get(f"/api/v1/knowledge/articles/{article_id}/history/")

    assert created.status_code == 201
    assert {
        k: created.json()[k] for k in ("audience", "kle_topics", "tasks", "version", "stale")
    } == {
        "audience": "public",
        "kle_topics": ["13.03.20"],
        "tasks": [tasks["heating"].pk],
        "version": 1,
        "stale": False,
    }
    assert (changed.status_code, changed.json()["version"]) == (200, 2)
    assert [(r["version"], r["changed_fields"], r["previous"]) for r in history.json()] == [
        (2, ["answer"], {"answer": "Anmeld den."}),
        (
            1,
            [
                "title",
                "answer",
                "audience",
                "owner_unit",
                "review_on",
                "links",
                "tasks",
                "kle_topics",
            ],
            {},
        ),
    ]


def test_an_article_with_bad_fields_is_refused_in_danish_and_not_stored(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    response = api_for(staff.caseworker).post(
        "/api/v1/knowledge/articles/",
        {
            "title": "Carport",
            "answer": "Anmeld den.",
            "owner_unit": org.building_unit.pk,
            "review_on": "2020-01-01",
            "kle_topics": ["99.99.99"],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="da",
    )

    assert response.status_code == 400
    assert response.json() == {"kle_topics": ["KLE-emnet 99.99.99 findes ikke."]}
    assert Article.objects.count() == 0


def test_an_article_owned_elsewhere_is_refused_in_danish(
    api_for: ApiFor, staff: Staff, org: Org
) -> None:
    response = api_for(staff.other_caseworker).post(
        "/api/v1/knowledge/articles/",
        {
            "title": "Carport",
            "answer": "Anmeld den.",
            "owner_unit": org.building_unit.pk,
            "review_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="da",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"owner_unit": ["Du kan kun redigere artikler, som en enhed i din egen forvaltning ejer."]},
    )
    assert (Article.objects.count(), Revision.objects.count()) == (0, 0)


def test_stale_filter_lists_only_my_departments_articles_past_review(
    api_for: ApiFor, make_article: MakeArticle, staff: Staff, org: Org
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    stale = make_article(now=long_ago, review_on=(long_ago + dt.timedelta(days=365)).date())
    make_article(title="Frisk")

    mine = api_for(staff.caseworker).get("/api/v1/knowledge/articles/?stale=true")
    others = api_for(staff.other_caseworker).get("/api/v1/knowledge/articles/?stale=true")

    assert [(a["id"], a["stale"]) for a in mine.json()["results"]] == [(stale.pk, True)]
    assert others.json()["results"] == []


def test_guide_is_written_and_read_through_the_api(
    api_for: ApiFor, staff: Staff, tasks: dict[str, Task], org: Org
) -> None:
    api = api_for(staff.caseworker)
    task = tasks["heating"]

    missing = api.get(f"/api/v1/knowledge/guides/{task.pk}/")
    put = api.put(
        f"/api/v1/knowledge/guides/{task.pk}/",
        {"what_to_ask": "Hvilken adresse?", "forward_to": org.building_unit.pk},
        format="json",
    )
    history = api.get(f"/api/v1/knowledge/guides/{task.pk}/history/")

    assert missing.status_code == 404
    assert (put.status_code, put.json()["what_to_ask"], put.json()["version"]) == (
        200,
        "Hvilken adresse?",
        1,
    )
    assert [r["version"] for r in history.json()] == [1]


def test_knowledge_used_is_recorded_on_a_contact(
    api_for: ApiFor, make_article: MakeArticle, register: RegisterContact, staff: Staff
) -> None:
    article = make_article()
    contact = register(outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    response = api_for(staff.frontline).post(
        f"/api/v1/contacts/{contact.pk}/knowledge-used/", {"article": article.pk}, format="json"
    )

    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("contact", "article", "guide", "recorded_by")} == {
        "contact": contact.pk,
        "article": article.pk,
        "guide": None,
        "recorded_by": "front",
    }
    assert KnowledgeUse.objects.get().contact == contact


def test_knowledge_used_without_article_or_guide_is_refused_in_danish(
    api_for: ApiFor, register: RegisterContact, staff: Staff
) -> None:
    contact = register()

    response = api_for(staff.frontline).post(
        f"/api/v1/contacts/{contact.pk}/knowledge-used/",
        {},
        format="json",
        HTTP_ACCEPT_LANGUAGE="da",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Vælg enten en artikel eller en guide."]},
    )
    assert KnowledgeUse.objects.count() == 0


def test_knowledge_used_on_a_contact_out_of_scope_answers_404(
    api_for: ApiFor, make_article: MakeArticle, register: RegisterContact, staff: Staff
) -> None:
    contact = register(by=staff.caseworker)

    response = api_for(staff.other_caseworker).post(
        f"/api/v1/contacts/{contact.pk}/knowledge-used/",
        {"article": make_article().pk},
        format="json",
    )

    assert response.status_code == 404
    assert KnowledgeUse.objects.count() == 0


def test_report_counts_resolution_at_first_contact_and_knowledge_use_per_task(
    api_for: ApiFor,
    make_article: MakeArticle,
    register: RegisterContact,
    staff: Staff,
    tasks: dict[str, Task],
) -> None:
    article = make_article()
    heating = tasks["heating"]
    helped = register(task=heating, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(task=heating, outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(task=heating, outcome=Outcome.CALLBACK_PROMISED)
    register(task=tasks["groundwater"], outcome=Outcome.CASE_CREATED)
    api = api_for(staff.frontline)
    api.post(f"/api/v1/contacts/{helped.pk}/knowledge-used/", {"article": article.pk})

    report = api.get("/api/v1/knowledge/report/").json()

    assert report["tasks"] == [
        {
            "task": heating.pk,
            "task_title": "Tilslutning til fjernvarme",
            "contacts": 3,
            "resolved_at_first_contact": 2,
            "resolved_with_knowledge": 1,
            "with_knowledge": 1,
            "resolved_share": 2 / 3,
            "knowledge_share": 0.5,
        },
        {
            "task": tasks["groundwater"].pk,
            "task_title": "Bortledning af grundvand",
            "contacts": 1,
            "resolved_at_first_contact": 0,
            "resolved_with_knowledge": 0,
            "with_knowledge": 0,
            "resolved_share": 0.0,
            "knowledge_share": None,
        },
    ]
    assert (report["total"]["contacts"], report["total"]["knowledge_share"]) == (4, 0.5)
    assert report["received_to"] == timezone.localdate().isoformat()
