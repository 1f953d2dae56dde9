from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from indgang.catalogue.models import Task
from indgang.conftest import Org, Staff
from indgang.contacts.models import Contact
from indgang.parties.models import Party
from indgang.triage.models import QueueItem, RoutingDecision

HEADER = (
    "channel,direction,received_at,summary,cpr,cvr,task,kle_topic,unit,outcome,duration_seconds"
)


def refused(path: Path, *lines: str) -> list[str]:
    """The lines of the import's refusal of a file of HEADER and `lines`."""
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import-contacts", str(path), "--user", "front")
    return str(error.value).splitlines()


def test_import_registers_every_line(
    tmp_path: Path,
    staff: Staff,
    org: Org,
    tasks: dict[str, Task],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "contacts.csv"
    heating = tasks["heating"].pk
    path.write_text(
        f"{HEADER}\n"
        "phone,in,2026-03-02T09:15+01:00,Om fjernvarme,010190-1234,,"
        f"{heating},,,resolved_at_first_contact,120\n"
        "email,in,2026-03-02T10:00+01:00,Om grundvand,,29604010,,"
        f"13.02.17,{org.benefits_unit.pk},forwarded,\n"
        "letter,out,2026-03-03T08:00+01:00,Svar sendt,,,,,,,\n",
        encoding="utf-8",
    )

    call_command("import-contacts", str(path), "--user", "front")

    assert capsys.readouterr().out.strip() == "Indlæste 3 henvendelser."
    rows = list(
        Contact.objects.order_by("received_at").values_list(
            "channel",
            "direction",
            "task_id",
            "kle_topic__number",
            "unit_id",
            "outcome",
            "duration_seconds",
        )
    )
    assert rows == [
        (
            "phone",
            "in",
            heating,
            "13.03.00",
            org.contact_centre.pk,
            "resolved_at_first_contact",
            120,
        ),
        ("email", "in", None, "13.02.17", org.benefits_unit.pk, "forwarded", None),
        ("letter", "out", None, None, org.contact_centre.pk, "", None),
    ]
    assert Party.objects.count() == 2


def test_one_bad_line_imports_nothing_and_every_problem_is_named(
    tmp_path: Path, staff: Staff
) -> None:
    problems = refused(
        tmp_path / "contacts.csv",
        "phone,in,2026-03-02T09:15+01:00,God linje,0101901234,,,,,,",
        "fax,in,2026-03-02 09:15,Dårlig linje,3213901234,,,99.99.99,,,x",
    )

    assert problems == [
        "Intet blev indlæst:",
        "Linje 3: ukendt channel 'fax'",
        "Linje 3: ukendt kle_topic '99.99.99'",
        "Linje 3: received_at skal være et ISO 8601-tidspunkt med tidszone, "
        "fx 2026-03-02T09:15+01:00",
        "Linje 3: CPR-nummeret begynder ikke med en gyldig fødselsdato.",
        "Linje 3: channel skal udfyldes",
        "Linje 3: duration_seconds skal være et helt antal sekunder",
    ]
    assert (Contact.objects.count(), Party.objects.count()) == (0, 0)


def test_file_without_required_columns_is_refused(tmp_path: Path, staff: Staff) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("channel,summary\nphone,Hej\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import-contacts", str(path), "--user", "front")

    assert str(error.value) == "Intet blev indlæst:\nFilen mangler kolonnerne: received_at."


def test_imported_contacts_without_a_task_are_triaged_once_the_import_commits(
    tmp_path: Path,
    staff: Staff,
    tasks: dict[str, Task],
    django_capture_on_commit_callbacks: Any,
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        f"{HEADER}\n"
        f"phone,in,2026-03-02T09:15+01:00,Om fjernvarme,,,{tasks['heating'].pk},,,,\n"
        "email,in,2026-03-02T10:00+01:00,Tilslutning til fjernvarme i ny bolig,,,,,,,\n"
        "letter,in,2026-03-03T08:00+01:00,Spørgsmål om bortledning af grundvand,,,,,,,\n",
        encoding="utf-8",
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import-contacts", str(path), "--user", "front")

    assert len(callbacks) == 1  # one triage run for the whole import
    triaged = set(RoutingDecision.objects.values_list("contact__channel", flat=True)) | set(
        QueueItem.objects.values_list("contact__channel", flat=True)
    )
    assert triaged == {"email", "letter"}
    assert Contact.objects.filter(awaiting_triage=True).count() == 0


def test_an_ancient_time_or_a_huge_duration_imports_nothing(tmp_path: Path, staff: Staff) -> None:
    problems = refused(
        tmp_path / "contacts.csv",
        "phone,in,2026-03-02T09:15+01:00,Varme\x00 i stuen,,,,,,,",
        "phone,in,0002-03-02T09:15+01:00,Varme,,,,,,,",
        "phone,in,2026-03-02T09:15+01:00,Varme,,,,,,,4294967296",
    )

    assert problems == [
        "Intet blev indlæst:",
        "Række 2: Modtagelsestidspunktet kan ikke ligge før 1900.",
        "Række 3: En henvendelse varer fra 0 til 86400 sekunder.",
    ]
    assert (Contact.objects.count(), Party.objects.count()) == (0, 0)


def test_a_nul_byte_is_removed_from_an_imported_summary(tmp_path: Path, staff: Staff) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        f"{HEADER}\nphone,in,2026-03-02T09:15+01:00,Varme\x00 i stuen,,,,,,,\n", encoding="utf-8"
    )

    call_command("import-contacts", str(path), "--user", "front")

    assert Contact.objects.get().summary == "Varme i stuen"
