"""The half-yearly status report of a department, as a page and as a PDF."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from indgang.catalogue.constants import Channel
from indgang.conftest import Org, RegisterContact, Staff, staff_client
from indgang.statistics.tests.test_dashboard import chart_table

# The seeded goals and unit-cost tables: a transactional test that ran before may have flushed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_data")]
DK = ZoneInfo("Europe/Copenhagen")


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=DK)


@pytest.fixture
def report_url(register: RegisterContact, org: Org) -> str:
    """The front line's department in the first half of 2026: four calls, two self-service
    contacts, a letter; in the second half of 2025: five calls and one self-service contact."""
    for month in (1, 2, 3, 6):
        register(received_at=at(2026, month, 10))
    for month in (4, 5):
        register(received_at=at(2026, month, 10), channel=Channel.SELFSERVICE)
    register(received_at=at(2026, 5, 20), channel=Channel.LETTER)
    for month in (7, 8, 9, 10, 11):
        register(received_at=at(2025, month, 10))
    register(received_at=at(2025, 12, 1), channel=Channel.SELFSERVICE)
    return f"/statistik/statusrapport/?department={org.frontline_dept.pk}&year=2026&half=1"


def test_the_report_shows_the_half_year_and_its_trend(report_url: str, staff: Staff) -> None:
    response = staff_client(staff.manager).get(report_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statusrapport for Borgerservice, første halvår 2026" in html
    assert chart_table(html, "channel-mix") == [
        ["Periode", "Telefon", "Brev", "Selvbetjening"],
        ["jan 2026", "1", "0", "0"],
        ["feb 2026", "1", "0", "0"],
        ["mar 2026", "1", "0", "0"],
        ["apr 2026", "0", "0", "1"],
        ["maj 2026", "0", "1", "1"],
        ["jun 2026", "1", "0", "0"],
    ]
    assert chart_table(html, "channel-trend") == [
        ["Kanal", "Forrige halvår", "Dette halvår"],
        ["Telefon", "5", "4"],
        ["Brev", "0", "1"],
        ["Selvbetjening", "1", "2"],
    ]
    assert "den digitale andel gik fra 16,7 % til 28,6 %" in html
    # KL 2011 prices: 4 × 40 + 60 + 2 × 5 = 230 kr.; reaching 50 % digital moves two calls to
    # self-service: 2 × (40 − 5) = 70 kr. saved.
    assert chart_table(html, "cost-per-channel")[1:] == [
        ["Telefon", "160 kr."],
        ["Brev", "60 kr."],
        ["Selvbetjening", "10 kr."],
    ]
    assert "230 kr." in html
    assert chart_table(html, "goals") == [
        ["Nøgletal", "Resultat", "Mål"],
        ["Digital andel af henvendelser", "28,6 %", "50,0 %"],
        ["Selvbetjeningsandel, hvor der findes en selvbetjeningsløsning", "–", "80,0 %"],
        ["Tilbagekald inden for en arbejdsdag", "–", "100,0 %"],
    ]
    assert "0 af 1 mål med tal nået. Ikke nået: Digital andel af henvendelser." in html
    assert "at flytte 2 opkald til selvbetjening ville spare 70 kr. pr. halvår" in html
    assert "format=pdf" in html


def test_the_report_as_pdf_has_the_same_figures(report_url: str, staff: Staff) -> None:
    response = staff_client(staff.manager).get(f"{report_url}&format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="statusrapport-kbs-2026-1.pdf"'
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Statusrapport for Borgerservice, første halvår 2026" in text
    assert "160 kr." in text
    assert "230 kr." in text
    assert "70 kr." in text


def test_a_manager_may_not_report_on_another_department(staff: Staff, org: Org) -> None:
    response = staff_client(staff.manager).get(
        f"/statistik/statusrapport/?department={org.building_dept.pk}&year=2026&half=1"
    )
    assert response.status_code == 400
    assert "Statusrapport for" not in response.content.decode()


def test_without_a_choice_the_page_asks_for_one(staff: Staff) -> None:
    response = staff_client(staff.manager).get("/statistik/statusrapport/")
    assert response.status_code == 200
    assert "Vælg en forvaltning og et halvår." in response.content.decode()


def test_the_front_line_is_refused(staff: Staff) -> None:
    response = staff_client(staff.frontline).get("/statistik/statusrapport/")
    assert response.status_code == 403
