"""One date format on every page: dd.mm.yyyy, and "kl. HH:MM" for times (conf/formats)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from indgang.conftest import CPR_A, Org, RegisterContact, Staff, staff_client
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.services import start_deadline
from indgang.knowledge.services import ArticleData, create_article
from indgang.organisation.selectors import get_scope

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
RECEIVED = dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC)  # 09:05 in Copenhagen


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes (a date field's ISO value), scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in {"script", "style"}

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in {"script", "style"}

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_dates_and_times_are_day_month_year_and_kl() -> None:
    moment = dt.datetime(2026, 12, 5, 9, 30, tzinfo=timezone.get_current_timezone())
    with translation.override("da"):
        danish = [
            date_format(moment, "DATETIME_FORMAT"),
            date_format(moment, "SHORT_DATETIME_FORMAT"),
        ]
        day = [date_format(moment.date()), date_format(moment.date(), "SHORT_DATE_FORMAT")]
    with translation.override("en"):
        english = date_format(moment, "SHORT_DATETIME_FORMAT")

    assert danish == ["05.12.2026 kl. 09:30", "05.12.2026 kl. 09:30"]
    assert day == ["05.12.2026", "05.12.2026"]
    assert english == "05.12.2026 09:30"


@pytest.mark.django_db
def test_no_page_prints_an_iso_date(org: Org, staff: Staff, register: RegisterContact) -> None:
    contact = register(cpr=CPR_A, party_name="Karen Jensen", received_at=RECEIVED)
    start_deadline(
        subject=contact,
        kind=DeadlineKind.CALLBACK,
        by=staff.frontline,
        owner=staff.frontline,
        now=RECEIVED,
    )
    author = staff.caseworker
    article = create_article(
        data=ArticleData(
            title="Carport: skal jeg søge byggetilladelse?",
            answer="Carporte under 50 m² kræver kun anmeldelse.",
            owner_unit=org.building_unit,
            review_on=dt.date(2026, 4, 30),
        ),
        by=author,
        scope=get_scope(user=author),
        now=RECEIVED,
    )
    pages = {
        staff.frontline: [reverse("contact-list"), reverse("my-deadlines")],
        author: [reverse("knowledge-articles"), reverse("knowledge-article", args=[article.pk])],
    }
    seen = ""
    for user, paths in pages.items():
        client = staff_client(user)
        for path in paths:
            page = client.get(path, HTTP_ACCEPT_LANGUAGE="da")
            assert page.status_code == 200, path
            text = visible_text(page.content.decode())
            assert ISO_DATE.findall(text) == [], path
            seen += text

    # The contact's time, the article's review date and its version's time, as Danes write them.
    assert "02.03.2026 kl. 09:05" in seen
    assert "30.04.2026" in seen
