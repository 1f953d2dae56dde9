"""The KomHen counting sheet: inbound contacts per channel and department, and per KLE main
group, as CSV and XLSX with the header block a municipality hands in."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.conftest import RegisterContact, Staff
from indgang.contacts.constants import Direction
from indgang.organisation.selectors import get_scope
from indgang.statistics.komhen import KomHenLine, komhen_csv, komhen_sheet, komhen_xlsx
from indgang.statistics.selectors import Slice

pytestmark = pytest.mark.django_db
DK = ZoneInfo("Europe/Copenhagen")
WEEK = Slice(start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 8))


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 10, tzinfo=DK)


@pytest.fixture
def week(register: RegisterContact, staff: Staff, tasks: dict[str, Task]) -> None:
    """Borgerservice: 2 calls and a self-service application on heating, a visit without a
    task and an outbound call (not counted); Familie og Arbejde: 2 e-mails on groundwater. A
    call the Monday after is outside the week."""
    heating = tasks["heating"]
    register(received_at=at(2), channel=Channel.PHONE, task=heating)
    register(received_at=at(3), channel=Channel.PHONE, task=heating)
    register(received_at=at(8), channel=Channel.SELFSERVICE, task=heating)
    register(received_at=at(4), channel=Channel.PERSONAL)
    register(received_at=at(4), channel=Channel.PHONE, direction=Direction.OUTBOUND)
    for day in (5, 6):
        register(
            received_at=at(day),
            channel=Channel.EMAIL,
            task=tasks["groundwater"],
            by=staff.other_caseworker,
        )
    register(received_at=at(9), channel=Channel.PHONE)


@pytest.mark.usefixtures("week")
def test_the_counting_week_per_channel_area_and_kle_main_group(staff: Staff) -> None:
    sheet = komhen_sheet(scope=get_scope(user=staff.admin), slice=WEEK)
    assert sheet.channel_codes == [
        "personal",
        "phone",
        "letter",
        "email",
        "selfservice",
        "web",
        "chat",
        "sms",
    ]
    assert sheet.areas == (
        KomHenLine("Borgerservice", (1, 2, 0, 0, 1, 0, 0, 0)),
        KomHenLine("Familie og Arbejde", (0, 0, 0, 2, 0, 0, 0, 0)),
    )
    assert sheet.total == KomHenLine("I alt", (1, 2, 0, 2, 1, 0, 0, 0))
    assert sheet.total.total == 6
    assert sheet.kle_groups == (
        KomHenLine("13 Forsyningsvirksomhed", (0, 2, 0, 2, 1, 0, 0, 0)),
        KomHenLine("Ingen KLE-hovedgruppe", (1, 0, 0, 0, 0, 0, 0, 0)),
    )


@pytest.mark.usefixtures("week")
def test_csv_and_xlsx_carry_the_header_block_and_the_table(staff: Staff) -> None:
    sheet = komhen_sheet(scope=get_scope(user=staff.admin), slice=WEEK)
    channels = "Personligt fremmøde;Telefon;Brev;E-mail;Selvbetjening;Webformular;Chat;SMS"
    assert komhen_csv(sheet).split("\r\n") == [
        "Kommune;Testkommune",
        "Periode;2. marts 2026 – 8. marts 2026",
        "Optællingsmetode;Indgående henvendelser registreret i Indgang, talt pr. modtagelsesdag "
        "(dansk tid), pr. kanal og pr. forvaltning, der behandler dem.",
        "",
        f"Område;{channels};I alt",
        "Borgerservice;1;2;0;0;1;0;0;0;4",
        "Familie og Arbejde;0;0;0;2;0;0;0;0;2",
        "I alt;1;2;0;2;1;0;0;0;6",
        "",
        f"KLE-hovedgruppe;{channels};I alt",
        "13 Forsyningsvirksomhed;0;2;0;2;1;0;0;0;5",
        "Ingen KLE-hovedgruppe;1;0;0;0;0;0;0;0;1",
        "",
    ]
    book = load_workbook(io.BytesIO(komhen_xlsx(sheet)))
    rows = [list(row) for row in book["KomHen"].iter_rows(values_only=True)]
    assert rows[0][:2] == ["Kommune", "Testkommune"]
    assert rows[5][:10] == ["Borgerservice", 1, 2, 0, 0, 1, 0, 0, 0, 4]
    assert rows[7][:10] == ["I alt", 1, 2, 0, 2, 1, 0, 0, 0, 6]
    assert rows[11][:10] == ["Ingen KLE-hovedgruppe", 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert book["KomHen"]["A5"].font.bold


@pytest.mark.usefixtures("week")
def test_a_manager_counts_only_their_departments(staff: Staff) -> None:
    sheet = komhen_sheet(scope=get_scope(user=staff.manager), slice=WEEK)
    assert [line.label for line in sheet.areas] == ["Borgerservice"]
    assert sheet.total.total == 4
