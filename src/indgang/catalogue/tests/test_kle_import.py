from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.kle import KleFormatError
from indgang.catalogue.models import KleEntry
from indgang.catalogue.services import import_kle
from indgang.conftest import KLE_FULL, KLE_SUBSET

pytestmark = pytest.mark.django_db


def test_full_plan_imports_every_level_and_keeps_retired_topics() -> None:
    report = import_kle(path=KLE_FULL)

    assert (report.main_groups, report.groups, report.topics) == (41, 691, 3457)
    assert report.active_topics == 2383
    assert (report.created, report.updated, report.unchanged) == (4189, 0, 0)
    assert KleEntry.objects.filter(level=KleLevel.TOPIC).count() == 3457
    assert KleEntry.objects.filter(level=KleLevel.TOPIC, retired_on__isnull=True).count() == 2383


def test_second_import_of_the_same_plan_changes_nothing() -> None:
    import_kle(path=KLE_FULL)
    before = list(KleEntry.objects.order_by("pk").values())

    report = import_kle(path=KLE_FULL)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4189)
    assert list(KleEntry.objects.order_by("pk").values()) == before


def test_topic_keeps_guidance_legal_references_retention_and_dates() -> None:
    import_kle(path=KLE_FULL)

    retired = KleEntry.objects.get(number="01.01.03")
    assert retired.title == "Tillæg til regionplanen [udgået]"
    assert retired.parent == KleEntry.objects.get(number="01.01")
    assert retired.parent.parent == KleEntry.objects.get(number="01")
    assert retired.guidance == "Emnet tilpasses lovændringer frem til 2007."
    assert retired.legal_references == [
        {"title": "Planloven", "accession_number": "A20130058729", "paragraph": ""}
    ]
    assert (retired.retention_code, retired.deletion_period) == ("K", "P1800D")
    assert retired.created_on == dt.date(1988, 1, 1)
    assert retired.changed_on == dt.date(2005, 2, 1)
    assert retired.retired_on == dt.date(2013, 11, 1)
    assert not retired.is_active


def test_guidance_lists_become_bullets() -> None:
    import_kle(path=KLE_FULL)

    guidance = KleEntry.objects.get(number="00.01.00").guidance.splitlines()

    assert guidance[0] == "• Emnet dækker sager om kommunens styrelse i almindelighed"
    assert len(guidance) == 2


def test_moved_topic_stays_active_with_its_successor() -> None:
    import_kle(path=KLE_FULL)

    moved = KleEntry.objects.get(number="00.10.00")
    topics = KleEntry.objects.filter(level=KleLevel.TOPIC)

    assert moved.moved_on == dt.date(2014, 11, 1)
    assert moved.replaced_by == "15.40.00"
    assert moved.is_active
    assert topics.filter(moved_on__isnull=False).count() == 247
    # One moved topic names no successor; the others name a topic or a group.
    assert topics.filter(moved_on__isnull=False).exclude(replaced_by="").count() == 246
    assert KleEntry.objects.filter(replaced_by="15.40").exists()


def test_newer_plan_updates_in_place(tmp_path: Path) -> None:
    import_kle(path=KLE_SUBSET)
    entry = KleEntry.objects.get(number="13.02.17")
    newer = tmp_path / "newer.xml"
    newer.write_text(
        KLE_SUBSET.read_text(encoding="utf-8").replace(
            "<EmneTitel>Bortledning af grundvand</EmneTitel>",
            "<EmneTitel>Bortledning af grundvand (ny titel)</EmneTitel>",
        ),
        encoding="utf-8",
    )

    report = import_kle(path=newer)

    assert (report.created, report.updated) == (0, 1)
    assert KleEntry.objects.get(pk=entry.pk).title == "Bortledning af grundvand (ny titel)"
    assert KleEntry.objects.filter(number="13.02.17").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<KLE-Emneplan><Hovedgruppe>", "Filen er ikke gyldig XML"),
        ("<Noget/>", "Filen er ikke en KLE-emneplan (rodelementet er Noget)."),
        ("<KLE-Emneplan/>", "Filen indeholder ingen KLE-hovedgrupper."),
        (
            "<KLE-Emneplan><Hovedgruppe><HovedgruppeNr>1</HovedgruppeNr>"
            "<HovedgruppeTitel>X</HovedgruppeTitel></Hovedgruppe></KLE-Emneplan>",
            "En Hovedgruppe har et manglende eller forkert nummer eller titel (nummer: '1').",
        ),
    ],
)
def test_malformed_file_is_refused_and_changes_nothing(
    tmp_path: Path, content: str, message: str
) -> None:
    import_kle(path=KLE_SUBSET)
    before = list(KleEntry.objects.order_by("pk").values())
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")

    with pytest.raises(KleFormatError) as error:
        import_kle(path=bad)

    assert str(error.value).startswith(message)
    assert list(KleEntry.objects.order_by("pk").values()) == before


def test_a_bad_entry_late_in_the_file_stores_nothing(tmp_path: Path) -> None:
    text = KLE_SUBSET.read_text(encoding="utf-8")
    last = text.rindex("<EmneNr>")
    broken = tmp_path / "broken.xml"
    broken.write_text(text[:last] + "<EmneNr>99" + text[last + len("<EmneNr>") + 8 :])

    with pytest.raises(KleFormatError):
        import_kle(path=broken)

    assert KleEntry.objects.count() == 0


def test_command_reports_counts_and_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("import-kle", str(KLE_FULL))
    first = capsys.readouterr().out
    call_command("import-kle", str(KLE_FULL))
    second = capsys.readouterr().out

    assert (
        "KLE 2015-08-01: 41 hovedgrupper, 691 grupper, 3457 emner, 2383 aktive. "
        "Oprettet 4189, opdateret 0, uændret 0." in first
    )
    assert "Oprettet 0, opdateret 0, uændret 4189." in second


def test_command_on_missing_file_says_so_in_danish(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("import-kle", str(tmp_path / "mangler.xml"))

    assert str(error.value) == (
        f"KLE-filen blev ikke indlæst, og intet er ændret: Filen {tmp_path / 'mangler.xml'} "
        "findes ikke."
    )


def test_copy_of_the_plan_elsewhere_imports_the_same(tmp_path: Path) -> None:
    copy = tmp_path / "kle.xml"
    shutil.copy(KLE_SUBSET, copy)

    report = import_kle(path=copy)

    assert (report.main_groups, report.groups, report.topics, report.active_topics) == (
        3,
        13,
        104,
        71,
    )
