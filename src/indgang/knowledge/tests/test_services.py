from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import translation

from indgang.catalogue.models import KleEntry, Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article, Guide, KnowledgeUse, Revision, StaleFlag
from indgang.knowledge.selectors import list_revisions, list_stale_articles
from indgang.knowledge.services import (
    ArticleData,
    GuideData,
    Link,
    flag_stale_articles,
    record_knowledge_choice,
    record_knowledge_used,
    save_guide,
    update_article,
)
from indgang.knowledge.tests.fixtures import NOW, MakeArticle
from indgang.organisation.constants import Role
from indgang.organisation.selectors import get_scope
from indgang.organisation.services import ensure_staff_user
from indgang.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def danish() -> None:
    translation.activate("da")


def data_of(article: Article, **changes: object) -> ArticleData:
    values: dict[str, object] = {
        "title": article.title,
        "answer": article.answer,
        "owner_unit": article.owner_unit,
        "review_on": article.review_on,
        "audience": Audience(article.audience),
        "links": [Link(**link) for link in article.links],
        "tasks": list(article.tasks.all()),
        "kle_topics": list(article.kle_topics.all()),
    }
    return ArticleData(**(values | changes))  # type: ignore[arg-type]


def test_a_new_article_is_version_one_with_a_creation_revision_and_is_searchable(
    make_article: MakeArticle, staff: Staff
) -> None:
    article = make_article(now=NOW, links=[Link("Byg og Miljø", "https://bygogmiljoe.dk")])

    revision = Revision.objects.get(article=article)
    assert (article.version, revision.version, revision.changed_by, revision.previous) == (
        1,
        1,
        staff.caseworker,
        {},
    )
    assert article.links == [{"label": "Byg og Miljø", "url": "https://bygogmiljoe.dk"}]
    assert [hit.object_id for hit in search(text="carport")] == [article.pk]


def test_a_change_records_who_when_which_fields_and_the_previous_values(
    make_article: MakeArticle, staff: Staff, org: Org
) -> None:
    article = make_article(now=NOW)
    later = NOW + dt.timedelta(days=1)

    changed = update_article(
        article=article,
        data=data_of(article, answer="Nyt svar om udhuse.", audience=Audience.PUBLIC),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=later,
        expected_version=1,
    )

    newest = list_revisions(article=changed)[0]
    assert (changed.version, changed.answer, changed.audience) == (
        2,
        "Nyt svar om udhuse.",
        "public",
    )
    assert (newest.version, newest.changed_at, newest.changed_by) == (2, later, staff.caseworker)
    assert newest.changed_fields == ["answer", "audience"]
    assert newest.previous == {
        "answer": "Carporte under 50 m² kræver kun anmeldelse.",
        "audience": "staff",
    }
    assert [r.version for r in list_revisions(article=changed)] == [2, 1]


def test_saving_without_changes_writes_no_version(make_article: MakeArticle, staff: Staff) -> None:
    article = make_article(now=NOW)

    update_article(
        article=article,
        data=data_of(article),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=NOW,
    )

    assert (Article.objects.get().version, Revision.objects.count()) == (1, 1)


def test_a_change_of_tasks_and_kle_topics_is_versioned_with_their_old_names(
    make_article: MakeArticle, staff: Staff, tasks: dict[str, Task]
) -> None:
    article = make_article(now=NOW, tasks=[tasks["heating"]])
    topic = KleEntry.objects.get(number="13.02.17")

    update_article(
        article=article,
        data=data_of(article, tasks=[], kle_topics=[topic]),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=NOW,
    )

    revision = list_revisions(article=article)[0]
    assert revision.changed_fields == ["tasks", "kle_topics"]
    assert revision.previous == {
        "tasks": [f"#{tasks['heating'].pk} Tilslutning til fjernvarme"],
        "kle_topics": [],
    }
    assert list(Article.objects.get().kle_topics.values_list("number", flat=True)) == ["13.02.17"]


def test_a_change_on_an_outdated_version_is_refused_and_changes_nothing(
    make_article: MakeArticle, staff: Staff
) -> None:
    article = make_article(now=NOW)
    scope = get_scope(user=staff.caseworker)
    update_article(
        article=article,
        data=data_of(article, title="Ny titel"),
        by=staff.caseworker,
        scope=scope,
        now=NOW,
        expected_version=1,
    )

    with pytest.raises(ValidationError) as refused:
        update_article(
            article=article,
            data=data_of(article, title="Min titel"),
            by=staff.caseworker,
            scope=scope,
            now=NOW,
            expected_version=1,
        )

    assert refused.value.messages == [
        "En anden har gemt version 2 af artiklen, mens du redigerede. Genindlæs den, og lav "
        "din ændring igen."
    ]
    assert (Article.objects.get().title, Revision.objects.count()) == ("Ny titel", 2)


def test_an_article_of_another_department_may_not_be_edited(
    make_article: MakeArticle, staff: Staff
) -> None:
    article = make_article(now=NOW)

    with pytest.raises(ValidationError) as refused:
        update_article(
            article=article,
            data=data_of(article, title="Forkert"),
            by=staff.other_caseworker,
            scope=get_scope(user=staff.other_caseworker),
            now=NOW,
        )

    assert refused.value.message_dict == {
        "owner_unit": ["Du kan kun redigere artikler, som en enhed i din egen forvaltning ejer."]
    }
    assert (Article.objects.get().title, Revision.objects.count()) == (article.title, 1)


def test_bad_articles_are_refused_with_danish_messages_and_nothing_is_stored(
    make_article: MakeArticle, org: Org
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_article(
            now=NOW,
            title=" ",
            answer="",
            review_on=dt.date(2026, 3, 1),
            links=[Link("Blanket", "ftp://example.dk")],
        )

    assert refused.value.message_dict == {
        "title": ["Skriv spørgsmålet eller titlen."],
        "answer": ["Skriv svaret."],
        "review_on": ["Datoen for gennemsyn kan ikke ligge i fortiden."],
        "links": ["ftp://example.dk er ikke en webadresse (https://…)."],
    }
    assert (Article.objects.count(), Revision.objects.count()) == (0, 0)


def test_a_guide_is_versioned_and_makes_its_task_searchable_by_the_guide_text(
    staff: Staff, tasks: dict[str, Task], org: Org
) -> None:
    from indgang.search.services import reindex_all

    reindex_all(now=NOW)
    scope = get_scope(user=staff.caseworker)
    task = tasks["heating"]

    guide = save_guide(
        task=task,
        data=GuideData(what_to_ask="Spørg om varmepumpe", forward_to=org.building_unit),
        by=staff.caseworker,
        scope=scope,
        now=NOW,
    )
    guide = save_guide(
        task=task,
        data=GuideData(what_to_ask="Spørg om varmepumpe", what_to_bring="Matrikelnummer"),
        by=staff.caseworker,
        scope=scope,
        now=NOW,
        expected_version=1,
    )

    newest = list_revisions(guide=guide)[0]
    assert (guide.version, newest.changed_fields) == (2, ["what_to_bring", "forward_to"])
    assert newest.previous == {"what_to_bring": "", "forward_to": "Byggesager (BTF)"}
    hit = search(text="varmepumpe")[0]
    assert (hit.kind, hit.object_id, hit.guide_id) == ("task", task.pk, guide.pk)


def test_an_empty_guide_is_refused(staff: Staff, tasks: dict[str, Task]) -> None:
    with pytest.raises(ValidationError) as refused:
        save_guide(
            task=tasks["heating"],
            data=GuideData(),
            by=staff.caseworker,
            scope=get_scope(user=staff.caseworker),
            now=NOW,
        )

    assert refused.value.messages == ["Udfyld mindst én del af guiden."]
    assert Guide.objects.count() == 0


def test_stale_articles_are_flagged_to_their_owner_unit_once(
    make_article: MakeArticle, org: Org
) -> None:
    stale = make_article(now=NOW, review_on=dt.date(2026, 3, 10))
    make_article(now=NOW, title="Frisk", review_on=dt.date(2026, 6, 1))
    today = dt.date(2026, 3, 11)

    first = flag_stale_articles(today=today, now=NOW)
    again = flag_stale_articles(today=today, now=NOW + dt.timedelta(hours=1))

    assert (first, again) == (1, 0)
    flag = StaleFlag.objects.get()
    assert (flag.article, flag.unit, flag.review_on, flag.flagged_at) == (
        stale,
        org.building_unit,
        dt.date(2026, 3, 10),
        NOW,
    )
    assert list(list_stale_articles(today=today)) == [stale]


def test_the_owner_units_managers_are_e_mailed_the_articles_to_review_once(
    make_article: MakeArticle, org: Org, staff: Staff, mailoutbox: list[EmailMessage]
) -> None:
    manager = ensure_staff_user(
        username="byggeleder",
        password="leder-password-1",  # noqa: S106 - a test user
        full_name="Bygge Leder",
        roles=[(Role.MANAGER, org.building_dept, None)],
    )
    User.objects.filter(pk=manager.pk).update(email="leder@example.dk")
    User.objects.filter(pk=staff.manager.pk).update(email="kbs-leder@example.dk")
    make_article(now=NOW, title="Carport", review_on=dt.date(2026, 3, 10))
    make_article(now=NOW, title="Affaldssortering", review_on=dt.date(2026, 3, 9))

    flag_stale_articles(today=dt.date(2026, 3, 11), now=NOW)
    flag_stale_articles(today=dt.date(2026, 3, 11), now=NOW + dt.timedelta(hours=1))

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["leder@example.dk"], "Indgang: artikler til gennemsyn")
    ]
    assert mailoutbox[0].body.splitlines() == [
        "Disse artikler i vidensbasen har passeret deres dato for gennemsyn:",
        "- Affaldssortering",
        "- Carport",
    ]


def test_an_article_is_not_stale_on_its_review_date(make_article: MakeArticle) -> None:
    make_article(now=NOW, review_on=dt.date(2026, 3, 10))

    assert flag_stale_articles(today=dt.date(2026, 3, 10), now=NOW) == 0


def test_knowledge_use_is_one_article_or_guide_per_contact(
    make_article: MakeArticle, register: RegisterContact, staff: Staff
) -> None:
    article = make_article()
    contact = register(outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    record_knowledge_used(contact=contact, article=article, by=staff.frontline, now=NOW)
    again = record_knowledge_choice(contact=contact, used=article, by=staff.frontline, now=NOW)

    assert again is not None
    assert (KnowledgeUse.objects.count(), again.article, again.guide) == (1, article, None)
    assert record_knowledge_choice(contact=contact, used=None, by=staff.frontline, now=NOW) is None


def test_knowledge_use_needs_exactly_one_article_or_guide(
    make_article: MakeArticle, register: RegisterContact, staff: Staff, tasks: dict[str, Task]
) -> None:
    contact = register()
    guide = save_guide(
        task=tasks["heating"],
        data=GuideData(what_to_ask="Hvad?"),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=NOW,
    )

    for kwargs in ({}, {"article": make_article(), "guide": guide}):
        with pytest.raises(ValidationError) as refused:
            record_knowledge_used(contact=contact, by=staff.frontline, now=NOW, **kwargs)  # type: ignore[arg-type]
        assert refused.value.messages == ["Vælg enten en artikel eller en guide."]
    assert KnowledgeUse.objects.count() == 0


def test_the_daily_task_flags_stale_articles_once(make_article: MakeArticle) -> None:
    from indgang.common.tasks import DailyAt, get_task

    long_ago = NOW - dt.timedelta(days=400)
    make_article(now=long_ago, review_on=(long_ago + dt.timedelta(days=30)).date())
    task = get_task("knowledge.flag_stale")

    task.run()
    task.run()

    assert task.schedule == DailyAt(dt.time(6, 30))
    assert StaleFlag.objects.count() == 1
