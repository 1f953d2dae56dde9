from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import PASSWORD, Org, Staff
from indgang.contacts.models import Contact
from indgang.knowledge.models import Article, Guide, KnowledgeUse, Revision
from indgang.knowledge.services import GuideData, save_guide
from indgang.knowledge.tests.fixtures import MakeArticle
from indgang.organisation.selectors import get_scope
from indgang.search.services import reindex_all

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username=username, password=PASSWORD)
    return client


def test_article_pages_list_show_and_edit_with_history(
    make_article: MakeArticle, staff: Staff, org: Org
) -> None:
    article = make_article()
    client = client_for("byg")
    review_on = (timezone.localdate() + dt.timedelta(days=90)).isoformat()

    listing = client.get("/knowledge/?q=carport")
    saved = client.post(
        f"/knowledge/articles/{article.pk}/edit/",
        {
            "title": article.title,
            "answer": "Carporte kræver anmeldelse.",
            "audience": "public",
            "owner_unit": org.building_unit.pk,
            "review_on": review_on,
            "links": "Byg og Miljø | https://bygogmiljoe.dk",
            "kle_topics": "",
            "version": "1",
        },
    )
    detail = client.get(f"/knowledge/articles/{article.pk}/")

    assert article.title in listing.content.decode()
    assert (saved.status_code, saved["Location"]) == (302, f"/knowledge/articles/{article.pk}/")
    html = detail.content.decode()
    assert "Historik" in html
    assert "answer, audience, review_on, links" in html
    assert "Carporte under 50 m² kræver kun anmeldelse." in html  # the previous answer
    assert Article.objects.get().links == [
        {"label": "Byg og Miljø", "url": "https://bygogmiljoe.dk"}
    ]


def test_new_article_form_refuses_bad_input_in_danish_and_stores_nothing(
    staff: Staff, org: Org
) -> None:
    response = client_for("byg").post(
        "/knowledge/articles/new/",
        {
            "title": "Rotter",
            "answer": "Anmeld dem.",
            "audience": "staff",
            "owner_unit": org.building_unit.pk,
            "review_on": "2020-01-01",
            "links": "",
            "kle_topics": "",
        },
    )

    assert response.status_code == 400
    assert "Datoen for gennemsyn kan ikke ligge i fortiden." in response.content.decode()
    assert (Article.objects.count(), Revision.objects.count()) == (0, 0)


def test_guide_page_and_edit(staff: Staff, tasks: dict[str, Task], org: Org) -> None:
    task = tasks["heating"]
    client = client_for("byg")

    empty = client.get(f"/knowledge/tasks/{task.pk}/guide/")
    saved = client.post(
        f"/knowledge/tasks/{task.pk}/guide/edit/",
        {"what_to_ask": "Hvilken adresse?", "forward_to": org.building_unit.pk},
    )
    shown = client.get(f"/knowledge/tasks/{task.pk}/guide/")

    assert "Opgaven har endnu ingen guide." in empty.content.decode()
    assert saved.status_code == 302
    assert "Hvilken adresse?" in shown.content.decode()
    assert Guide.objects.get().version == 1


def test_stale_page_shows_my_units_articles_past_review(
    make_article: MakeArticle, staff: Staff
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    make_article(
        title="Gammel artikel", now=long_ago, review_on=(long_ago + dt.timedelta(days=365)).date()
    )
    make_article(title="Frisk artikel")

    mine = client_for("byg").get("/knowledge/stale/").content.decode()
    others = client_for("ydelse").get("/knowledge/stale/").content.decode()

    assert ("Gammel artikel" in mine, "Frisk artikel" in mine) == (True, False)
    assert "Ingen artikler venter på gennemsyn." in others


def test_report_page_shows_the_share_where_knowledge_helped(staff: Staff) -> None:
    response = client_for("front").get("/knowledge/report/")

    assert response.status_code == 200
    assert "Andel hvor vidensbasen hjalp" in response.content.decode()


def test_front_desk_records_the_article_marked_as_used(
    make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]
) -> None:
    article = make_article()

    response = client_for("front").post(
        "/front-desk/",
        {
            "channel": "phone",
            "summary": "Skal jeg søge om carport?",
            "outcome": "resolved_at_first_contact",
            "knowledge_used": f"article:{article.pk}",
        },
    )

    assert response.status_code == 302
    use = KnowledgeUse.objects.get()
    assert (use.contact, use.article, use.guide, use.recorded_by) == (
        Contact.objects.get(),
        article,
        None,
        staff.frontline,
    )


def test_front_desk_records_a_guide_marked_as_used(staff: Staff, tasks: dict[str, Task]) -> None:
    guide = save_guide(
        task=tasks["heating"],
        data=GuideData(what_to_ask="Adresse?"),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=timezone.now(),
    )

    client_for("front").post(
        "/front-desk/",
        {
            "channel": "phone",
            "summary": "Fjernvarme",
            "outcome": "resolved_at_first_contact",
            "knowledge_used": f"guide:{guide.pk}",
        },
    )

    assert KnowledgeUse.objects.get().guide == guide


def test_front_desk_refuses_a_vanished_article_and_registers_nothing(staff: Staff) -> None:
    response = client_for("front").post(
        "/front-desk/",
        {
            "channel": "phone",
            "summary": "Carport",
            "outcome": "resolved_at_first_contact",
            "knowledge_used": "article:999",
        },
    )

    assert response.status_code == 400
    assert (
        "Artiklen eller guiden, du markerede, findes ikke længere. Søg igen."
        in response.content.decode()
    )
    assert (Contact.objects.count(), KnowledgeUse.objects.count()) == (0, 0)


def test_front_desk_search_lists_hits_with_a_used_choice(
    make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]
) -> None:
    article = make_article()
    reindex_all(now=timezone.now())

    html = client_for("front").get("/search/front-desk/?kb_q=carporte").content.decode()

    assert "Carport: skal jeg søge byggetilladelse?" in html
    assert f'value="article:{article.pk}"' in html
    assert "Det hjalp" in html
    assert "Intet hjalp" in html


def test_front_desk_has_the_knowledge_search_box(staff: Staff) -> None:
    html = client_for("front").get("/front-desk/").content.decode()

    assert 'hx-get="/search/front-desk/"' in html
    assert "Søg i artikler, guider og KLE" in html


def test_an_unknown_article_is_not_found(staff: Staff) -> None:
    client = client_for("byg")

    assert client.get("/knowledge/articles/999999/").status_code == 404
    assert client.get("/knowledge/articles/999999/edit/").status_code == 404
