"""An obs inspection walked through the API from plan to closed and on into an enforcement case,
with the letters it writes (read back from their PDFs) and the deadlines it keeps."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from indgang.cases.models import AreaSettings, Case, CaseEvent, Indskaerpelse
from indgang.common.workdays import COPENHAGEN
from indgang.conftest import CVR_A, ApiFor, Org, Staff
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import deadlines_of
from indgang.journal.models import Document
from indgang.letters.models import Letter
from indgang.letters.selectors import letters_for_subject, read_letter_pdf

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"
AGENDA = "Opbevaring af gylle\nEgenkontrol af foderstoffer"
CAUSE_COVER = "Gyllebeholderen er ikke overdækket."
REQUIREMENT_COVER = "Læg en fast overdækning på gyllebeholderen."
CAUSE_DRAIN = "Møddingen har intet afløb til en opsamlingsbeholder."
REQUIREMENT_DRAIN = "Led afløbet fra møddingen til en tæt opsamlingsbeholder."


def local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), COPENHAGEN)


class Clock:
    """The instant every service and view takes as now (Django's clock, set by the test)."""

    def __init__(self, start: dt.datetime) -> None:
        self.instant = start

    def __call__(self) -> dt.datetime:
        return self.instant

    def set(self, day: dt.date, hour: int = 9) -> None:
        self.instant = local(day, hour)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Monday 23 March 2026, 09:00 in Copenhagen: a week before the Easter holidays."""
    clock = Clock(local(dt.date(2026, 3, 23), 9))
    monkeypatch.setattr(timezone, "now", clock)
    yield clock


def pdf_text(letter: Letter) -> str:
    """The letter's text as its PDF gives it, white space folded to single spaces."""
    pages = PdfReader(io.BytesIO(read_letter_pdf(letter=letter))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def deadline_row(deadline: Deadline) -> tuple[str, dt.datetime, str, str]:
    return (
        deadline.kind,
        deadline.due_at.astimezone(COPENHAGEN),
        deadline.status,
        deadline.stopped_by,
    )


def remediation_of(indskaerpelse_id: int) -> Deadline:
    deadline = Indskaerpelse.objects.get(pk=indskaerpelse_id).remediation_deadline
    assert deadline is not None
    return deadline


def snapshot(case_id: int) -> tuple[Any, ...]:
    """What a refusal must leave as it was: the case, its events, letters and deadlines."""
    case = Case.objects.get(pk=case_id)
    return (
        case.state,
        case.decision,
        CaseEvent.objects.filter(case=case).count(),
        letters_for_subject(subject=case).count(),
        [deadline_row(deadline) for deadline in deadlines_of(subject=case)],
        Case.objects.count(),
    )


Post = Callable[..., dict[str, Any]]


def poster(client: APIClient) -> Post:
    def post(path: str, status: int = 200, **body: Any) -> dict[str, Any]:
        response = client.post(path, body, format="json")
        assert response.status_code == status, response.json()
        answer: dict[str, Any] = response.json()
        return answer

    return post


def test_an_obs_inspection_from_plan_to_closed_and_into_enforcement(
    api_for: ApiFor, staff: Staff, org: Org, second_caseworker: User, clock: Clock
) -> None:
    AreaSettings.objects.update_or_create(area="livestock", defaults={"report_working_days": 3})
    post = poster(api_for(staff.caseworker))

    # Plan on Monday 23 March for Tuesday 31 March; the operator is the company.
    body = post(
        f"{URL}inspections/",
        status=201,
        area="livestock",
        cvr=CVR_A,
        name="Svineproduktion ApS",
        property_address="Markvej 3, 9999 Testby",
        unit=org.building_unit.pk,
        planned_for="2026-03-31",
    )
    case_id = body["id"]
    case_url = f"{URL}{case_id}/"
    inspection = Case.objects.get(pk=case_id)
    body = post(f"{case_url}service-need/", service_need_type="obs", reason="Tidligere påbud.")
    assert (body["state"], body["service_need_type"]) == ("planned", "obs")

    # Notice by letter on Tuesday 24 March: the inspection notice with the date and the agenda.
    clock.set(dt.date(2026, 3, 24))
    body = post(f"{case_url}actions/", action="give_notice", notice_method="letter", agenda=AGENDA)
    assert body["state"] == "notice_given"
    [notice] = letters_for_subject(subject=inspection)
    assert (notice.kind, notice.recipient.name) == ("inspection_notice", "Svineproduktion ApS")
    text = pdf_text(notice)
    assert "Vi kommer på tilsyn den 31. marts 2026." in text
    assert "Opbevaring af gylle" in text
    assert "Egenkontrol af foderstoffer" in text

    # The visit on Tuesday 31 March: an obs inspection needs two staff; one is refused.
    clock.set(dt.date(2026, 3, 31), hour=10)
    before = snapshot(case_id)
    response = api_for(staff.caseworker).post(
        f"{case_url}actions/",
        {"action": "record_visit", "staff_present": [staff.caseworker.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["staff_present"] == [
        "Et tilsyn af typen Obs kræver to medarbejdere ved besøget; du har angivet 1."
    ]
    assert snapshot(case_id) == before
    body = post(
        f"{case_url}actions/",
        action="record_visit",
        staff_present=[staff.caseworker.pk, second_caseworker.pk],
    )
    assert body["state"] == "visited"
    # Three working days after Tuesday 31 March, over Maundy Thursday, Good Friday and Easter
    # Monday: Wednesday 1, Tuesday 7 and Wednesday 8 April, at the time of the visit.
    assert body["inspection"]["report_due"] == "2026-04-08"
    [report_deadline] = deadlines_of(subject=inspection)
    assert deadline_row(report_deadline) == (
        "inspection_report",
        local(dt.date(2026, 4, 8), 10),
        "open",
        "",
    )

    # Two indskærpelser at the visit, each with its letter and its remediation deadline.
    for cause, requirement, deadline in (
        (CAUSE_COVER, REQUIREMENT_COVER, "2026-04-20"),
        (CAUSE_DRAIN, REQUIREMENT_DRAIN, "2026-04-24"),
    ):
        body = post(
            f"{case_url}indskaerpelser/",
            status=201,
            cause=cause,
            requirement=requirement,
            deadline=deadline,
        )
    cover, drain = body["indskaerpelser"]
    assert (cover["cause"], drain["cause"]) == (CAUSE_COVER, CAUSE_DRAIN)
    letters = list(letters_for_subject(subject=inspection).order_by("pk"))
    assert [letter.kind for letter in letters] == [
        "inspection_notice",
        "enforcement_notice",
        "enforcement_notice",
    ]
    for letter, cause, requirement, date in (
        (letters[1], CAUSE_COVER, REQUIREMENT_COVER, "20. april 2026"),
        (letters[2], CAUSE_DRAIN, REQUIREMENT_DRAIN, "24. april 2026"),
    ):
        text = pdf_text(letter)
        assert cause in text
        assert requirement in text
        assert f"Det skal være sket senest den {date}." in text
    cover_deadline = remediation_of(cover["id"])
    drain_deadline = remediation_of(drain["id"])
    assert set(deadlines_of(subject=inspection)) == {
        report_deadline,
        cover_deadline,
        drain_deadline,
    }
    # A remediation date is met all that day: the deadline runs out at its midnight.
    assert deadline_row(cover_deadline) == (
        "remediation",
        local(dt.date(2026, 4, 21), 0),
        "open",
        "",
    )
    assert deadline_row(drain_deadline) == (
        "remediation",
        local(dt.date(2026, 4, 25), 0),
        "open",
        "",
    )

    # The report on Wednesday 8 April: without next steps refused; then the report letter.
    clock.set(dt.date(2026, 4, 8))
    before = snapshot(case_id)
    response = api_for(staff.caseworker).post(
        f"{case_url}actions/", {"action": "send_report"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"next_steps": ["Fortæl parten, hvad der sker nu."]}
    assert snapshot(case_id) == before
    body = post(
        f"{case_url}actions/",
        action="send_report",
        findings=[CAUSE_COVER, CAUSE_DRAIN],
        next_steps="Vi kommer igen, når fristerne i indskærpelserne er udløbet.",
    )
    assert body["state"] == "report_sent"
    report = letters_for_subject(subject=inspection).order_by("-pk").first()
    assert report is not None
    assert report.kind == "inspection_report"
    text = pdf_text(report)
    assert "Tak for besøget den 31. marts 2026." in text
    assert CAUSE_DRAIN in text
    assert "Det sker nu: Vi kommer igen, når fristerne i indskærpelserne er udløbet." in text
    report_deadline.refresh_from_db()
    assert deadline_row(report_deadline) == (
        "inspection_report",
        local(dt.date(2026, 4, 8), 10),
        "completed",
        "report_sent",
    )
    post(f"{case_url}actions/", action="start_follow_up")

    # One indskærpelse remedied on Wednesday 15 April: its deadline stops.
    clock.set(dt.date(2026, 4, 15))
    post(f"{case_url}indskaerpelser/{cover['id']}/remedied/")
    cover_deadline.refresh_from_db()
    assert (cover_deadline.status, cover_deadline.stopped_by) == ("completed", "remedied")
    before = snapshot(case_id)
    assert (
        api_for(staff.caseworker)
        .post(f"{case_url}indskaerpelser/{cover['id']}/enforcement/")
        .status_code
        == 409
    )
    assert snapshot(case_id) == before

    # The other is not: no enforcement on its last day, nor closing the inspection.
    clock.set(dt.date(2026, 4, 24), hour=15)
    for path in (f"indskaerpelser/{drain['id']}/enforcement/", "actions/"):
        response = api_for(staff.caseworker).post(
            f"{case_url}{path}", {"action": "close"}, format="json"
        )
        assert response.status_code == 409
        assert snapshot(case_id) == before
    # Once its deadline has passed it starts an enforcement case, and its deadline stops.
    clock.set(dt.date(2026, 4, 27))
    body = post(f"{case_url}indskaerpelser/{drain['id']}/enforcement/", status=201)
    enforcement_id = body["id"]
    enforcement_url = f"{URL}{enforcement_id}/"
    assert (body["kind"], body["state"], body["origin"]) == (
        "enforcement",
        "received",
        {"inspection": case_id, "indskaerpelse": drain["id"]},
    )
    drain_deadline.refresh_from_db()
    assert (drain_deadline.status, drain_deadline.stopped_by) == ("completed", "enforcement")
    body = post(f"{case_url}actions/", action="close")
    assert body["state"] == "closed"

    # The enforcement case is heard and decided: a physical legalisation, then closed.
    post(f"{enforcement_url}actions/", action="start_assessment")
    before = snapshot(enforcement_id)
    response = api_for(staff.caseworker).post(
        f"{enforcement_url}actions/",
        {"action": "decide", "decision": "physical_legalisation"},
        format="json",
    )
    assert response.status_code == 409
    assert snapshot(enforcement_id) == before
    post(f"{enforcement_url}actions/", action="start_hearing")
    clock.set(dt.date(2026, 5, 12))
    body = post(
        f"{enforcement_url}actions/",
        action="decide",
        decision="physical_legalisation",
        note="Olietanken står stadig uden spildbakke.",
    )
    assert (body["state"], body["decision"]) == ("decided", "physical_legalisation")
    body = post(f"{enforcement_url}actions/", action="close")
    assert body["state"] == "closed"

    # Every inspection letter is filed in the inspection's journal.
    assert [letter.kind for letter in letters_for_subject(subject=inspection).order_by("pk")] == [
        "inspection_notice",
        "enforcement_notice",
        "enforcement_notice",
        "inspection_report",
    ]
    assert Document.objects.filter(subject_type__model="case", subject_id=case_id).count() == 4
