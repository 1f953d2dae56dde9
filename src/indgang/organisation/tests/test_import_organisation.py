"""`indgang import-organisation`: the example files, idempotence, all-or-nothing, errors by line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from indgang.conftest import PASSWORD, Staff
from indgang.organisation.constants import RoleChangeAction
from indgang.organisation.models import Department, Municipality, RoleAssignment, RoleChange, Unit

DOCS = Path(__file__).resolve().parents[4] / "docs"
EXAMPLE_YAML = DOCS / "organisation-example.yaml"
EXAMPLE_CSV = DOCS / "organisation-example.csv"

# What the example files describe, as the database holds it.
EXAMPLE_UNITS = [
    ("BM", "Byggesager", False),
    ("BM", "Vej og Park", False),
    ("BS", "Kontaktcenter", True),
    ("BS", "Pension", False),
]
EXAMPLE_ROLES = [
    ("hanne.larsen", "manager", "BM", None),
    ("hanne.larsen", "manager", "BS", "Kontaktcenter"),
    ("it.admin", "admin", "BS", None),
    ("lars.nielsen", "caseworker", "BM", "Byggesager"),
    ("mette.jensen", "frontline", "BS", "Kontaktcenter"),
]
FIRST_RUN = [
    "Læser {path} …",
    "kommune 147 Frederiksberg Kommune: oprettet",
    "forvaltning BS Borgerservice: oprettet",
    "forvaltning BM By- og Miljøområdet: oprettet",
    "enhed BS/Kontaktcenter: oprettet",
    "enhed BS/Pension: oprettet",
    "enhed BM/Byggesager: oprettet",
    "enhed BM/Vej og Park: oprettet",
    "bruger mette.jensen: oprettet",
    "rolle mette.jensen Frontlinje (BS/Kontaktcenter): oprettet",
    "bruger lars.nielsen: oprettet",
    "rolle lars.nielsen Sagsbehandler (BM/Byggesager): oprettet",
    "bruger hanne.larsen: oprettet",
    "rolle hanne.larsen Leder (BS/Kontaktcenter): oprettet",
    "rolle hanne.larsen Leder (BM): oprettet",
    "bruger it.admin: oprettet",
    "rolle it.admin Administrator (BS): oprettet",
    "Kommune: 1 oprettet, 0 opdateret, 0 fjernet, 0 uændret.",
    "Forvaltninger: 2 oprettet, 0 opdateret, 0 fjernet, 0 uændret.",
    "Enheder: 4 oprettet, 0 opdateret, 0 fjernet, 0 uændret.",
    "Brugere: 4 oprettet, 0 opdateret, 0 fjernet, 0 uændret.",
    "Roller: 5 oprettet, 0 opdateret, 0 fjernet, 0 uændret.",
    "Organisationen er indlæst.",
    "4 nye brugere har endnu ingen adgangskode: de logger ind med single sign-on, hvor det "
    "er sat op, eller får en med `indgang changepassword BRUGERNAVN`.",
]
SECOND_RUN = [
    "Læser {path} …",
    "Kommune: 0 oprettet, 0 opdateret, 0 fjernet, 1 uændret.",
    "Forvaltninger: 0 oprettet, 0 opdateret, 0 fjernet, 2 uændret.",
    "Enheder: 0 oprettet, 0 opdateret, 0 fjernet, 4 uændret.",
    "Brugere: 0 oprettet, 0 opdateret, 0 fjernet, 4 uændret.",
    "Roller: 0 oprettet, 0 opdateret, 0 fjernet, 5 uændret.",
    "Intet er ændret: organisationen svarer allerede til filen.",
]


def run(path: Path) -> list[str]:
    out = StringIO()
    call_command("import-organisation", str(path), stdout=out, no_color=True)
    return out.getvalue().splitlines()


def refused(path: Path) -> tuple[str, list[str]]:
    """The command's error and the problems it printed, line by line."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import-organisation", str(path), stderr=err, no_color=True)
    return str(error.value), err.getvalue().splitlines()


def organisation() -> dict[str, object]:
    """Everything the import may write, as plain values."""
    return {
        "municipalities": list(Municipality.objects.values_list("code", "name")),
        "departments": sorted(Department.objects.values_list("abbreviation", "name")),
        "units": sorted(
            Unit.objects.values_list("department__abbreviation", "name", "is_frontline")
        ),
        "users": sorted(
            User.objects.values_list("username", "first_name", "last_name", "email", "is_active")
        ),
        "roles": sorted(
            RoleAssignment.objects.values_list(
                "user__username", "role", "department__abbreviation", "unit__name"
            ),
            key=str,
        ),
        "changes": RoleChange.objects.count(),
    }


EMPTY = {
    "municipalities": [],
    "departments": [],
    "units": [],
    "users": [],
    "roles": [],
    "changes": 0,
}


@pytest.mark.django_db
def test_the_example_file_loads_the_organisation_with_staff_who_have_no_password() -> None:
    assert run(EXAMPLE_YAML) == [line.format(path=EXAMPLE_YAML) for line in FIRST_RUN]

    state = organisation()
    assert state["municipalities"] == [("147", "Frederiksberg Kommune")]
    assert state["departments"] == [("BM", "By- og Miljøområdet"), ("BS", "Borgerservice")]
    assert state["units"] == EXAMPLE_UNITS
    assert state["users"] == [
        ("hanne.larsen", "Hanne", "Larsen", "hanne.larsen@frederiksberg.dk", True),
        ("it.admin", "Søren", "Andersen", "it@frederiksberg.dk", True),
        ("lars.nielsen", "Lars", "Nielsen", "lars.nielsen@frederiksberg.dk", True),
        ("mette.jensen", "Mette", "Jensen", "mette.jensen@frederiksberg.dk", True),
    ]
    assert state["roles"] == sorted(EXAMPLE_ROLES, key=str)
    assert [user.has_usable_password() for user in User.objects.all()] == [False] * 4
    assert list(RoleChange.objects.order_by().values_list("via", "action").distinct()) == [
        ("import", "assigned")
    ]
    assert not RoleChange.objects.exclude(by=None).exists()
    assert state["changes"] == 5


@pytest.mark.django_db
def test_a_second_run_and_the_same_organisation_as_csv_change_nothing_and_say_so() -> None:
    run(EXAMPLE_YAML)
    before = organisation()
    passwords = dict(User.objects.values_list("username", "password"))

    assert run(EXAMPLE_YAML) == [line.format(path=EXAMPLE_YAML) for line in SECOND_RUN]
    assert run(EXAMPLE_CSV) == [line.format(path=EXAMPLE_CSV) for line in SECOND_RUN]

    assert organisation() == before
    assert dict(User.objects.values_list("username", "password")) == passwords


@pytest.mark.django_db
def test_the_csv_example_alone_loads_what_the_yaml_example_does() -> None:
    run(EXAMPLE_CSV)

    state = organisation()
    assert state["units"] == EXAMPLE_UNITS
    assert state["roles"] == sorted(EXAMPLE_ROLES, key=str)


@pytest.mark.django_db
def test_a_changed_file_updates_names_moves_and_removes_roles_and_leaves_others_alone(
    tmp_path: Path, staff: Staff
) -> None:
    run(EXAMPLE_YAML)
    hanne = User.objects.get(username="hanne.larsen")
    hanne.set_password(PASSWORD)
    hanne.save()
    changed = tmp_path / "changed.yaml"
    text = EXAMPLE_YAML.read_text(encoding="utf-8")
    text = text.replace("name: Hanne Larsen", "name: Hanne Larsen Holm")
    text = text.replace(
        "      - {role: manager, department: BM}          # the whole department\n", ""
    )
    text = text.replace(
        "{role: caseworker, department: BM, unit: Byggesager}",
        "{role: caseworker, department: BM, unit: Vej og Park}",
    )
    changed.write_text(text, encoding="utf-8")
    others = sorted(RoleAssignment.objects.exclude(user__username__contains=".").values_list())

    lines = run(changed)

    assert lines[1:] == [
        "rolle lars.nielsen Sagsbehandler (BM/Vej og Park): opdateret",
        "bruger hanne.larsen: opdateret",
        "rolle hanne.larsen Leder (BM): fjernet",
        "Kommune: 0 oprettet, 0 opdateret, 0 fjernet, 1 uændret.",
        "Forvaltninger: 0 oprettet, 0 opdateret, 0 fjernet, 2 uændret.",
        "Enheder: 0 oprettet, 0 opdateret, 0 fjernet, 4 uændret.",
        "Brugere: 0 oprettet, 1 opdateret, 0 fjernet, 3 uændret.",
        "Roller: 0 oprettet, 1 opdateret, 1 fjernet, 3 uændret.",
        "Organisationen er indlæst.",
    ]
    hanne.refresh_from_db()
    assert (hanne.first_name, hanne.last_name) == ("Hanne", "Larsen Holm")
    assert hanne.check_password(PASSWORD)
    assert sorted(
        RoleAssignment.objects.filter(user__username__contains=".").values_list(
            "user__username", "role", "department__abbreviation", "unit__name"
        ),
        key=str,
    ) == sorted(
        [
            ("hanne.larsen", "manager", "BS", "Kontaktcenter"),
            ("it.admin", "admin", "BS", None),
            ("lars.nielsen", "caseworker", "BM", "Vej og Park"),
            ("mette.jensen", "frontline", "BS", "Kontaktcenter"),
        ],
        key=str,
    )
    # Staff who are not in the file keep their roles.
    assert (
        sorted(RoleAssignment.objects.exclude(user__username__contains=".").values_list()) == others
    )
    assert list(
        RoleChange.objects.order_by("pk").values_list("user__username", "action", "unit")[5:]
    ) == [
        ("lars.nielsen", RoleChangeAction.REMOVED, "Byggesager"),
        ("lars.nielsen", RoleChangeAction.ASSIGNED, "Vej og Park"),
        ("hanne.larsen", RoleChangeAction.REMOVED, ""),
    ]


BAD_YAML = """\
municipality:
  code: "147"
  name: Frederiksberg Kommune
departments:
  - code: BS
    name: Borgerservice
    units:
      - name: Kontaktcenter
        frontline: måske
staff:
  - username: ny bruger
    name: Ny
  - username: peter
    name: Peter Hansen
    emial: peter@example.dk
    roles:
      - {role: boss, department: BS}
  - username: peter
    name: Peter Hansen
"""


@pytest.mark.django_db
def test_problems_in_a_yaml_file_are_reported_by_line_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "organisation.yaml"
    path.write_text(BAD_YAML, encoding="utf-8")

    error, problems = refused(path)

    assert error == "Organisationen blev ikke indlæst, og intet er ændret (5 fejl)."
    assert problems == [
        "Linje 8: Frontlinje skal være ja eller nej.",
        "Linje 11: Indtast et gyldigt brugernavn. Denne værdi må kun indeholde bogstaver, "
        "cifre og tegnene @/./+/-/_.",
        "Linje 13: Ukendt felt 'emial'; felterne her er: username, name, email, roles.",
        "Linje 17: Ukendt rolle 'boss'; rollerne er: frontline, caseworker, manager, admin.",
        "Linje 18: peter står også på linje 13.",
    ]
    assert organisation() == EMPTY


@pytest.mark.django_db
def test_a_role_in_a_department_or_unit_that_nobody_knows_writes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "organisation.yaml"
    text = EXAMPLE_YAML.read_text(encoding="utf-8")
    text = text.replace(
        "{role: caseworker, department: BM, unit: Byggesager}", "{role: caseworker, department: XX}"
    )
    text = text.replace(
        "{role: admin, department: BS}", "{role: admin, department: BS, unit: Kælderen}"
    )
    path.write_text(text, encoding="utf-8")

    error, problems = refused(path)

    assert error == "Organisationen blev ikke indlæst, og intet er ændret (2 fejl)."
    assert problems == [
        "Linje 32: Forvaltningen XX findes hverken i filen eller i Indgang.",
        "Linje 43: Forvaltningen BS har ingen enhed 'Kælderen'.",
    ]
    assert organisation() == EMPTY


@pytest.mark.django_db
def test_broken_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "organisation.yml"
    path.write_text('municipality:\n  code: "147"\n  name: [Frederiksberg\n', encoding="utf-8")

    error, problems = refused(path)

    assert error == "Organisationen blev ikke indlæst, og intet er ændret (1 fejl)."
    assert problems == [
        "Linje 4: Dette er ikke gyldig YAML (expected ',' or ']', but got '<stream end>')."
    ]
    assert organisation() == EMPTY


@pytest.mark.django_db
def test_an_empty_file_or_one_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    listing = tmp_path / "list.yaml"
    listing.write_text("- BS\n- BM\n", encoding="utf-8")

    assert refused(empty) == (
        "Organisationen blev ikke indlæst, og intet er ændret (1 fejl).",
        ["Linje 1: Filen er tom."],
    )
    assert refused(listing)[1] == [
        "Linje 1: Her forventes felter (municipality, departments, staff)."
    ]
    assert organisation() == EMPTY


CSV_HEADER = (
    "municipality_code,municipality_name,department,department_name,unit,frontline,"
    "username,name,email,role\n"
)


@pytest.mark.django_db
def test_problems_in_a_csv_file_are_reported_by_row_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "organisation.csv"
    path.write_text(
        CSV_HEADER
        + 2
        * "147,Frederiksberg Kommune,BS,Borgerservice,Kontaktcenter,ja,mette,Mette J,,frontline\n"
        + "148,Anden Kommune,BS,Borgerservice,,,lars,Lars,,caseworker\n"
        + "147,Frederiksberg Kommune,BS,Borgerservice\n"
        + "\n"
        + "147,Frederiksberg Kommune,BM,,,,,Uden Brugernavn,,manager\n"
        + "147,Frederiksberg Kommune,BS,Borgerservice,,ja,peter,Peter,peter@,chef\n",
        encoding="utf-8",
    )

    error, problems = refused(path)

    assert error == "Organisationen blev ikke indlæst, og intet er ændret (7 fejl)."
    assert problems == [
        "Linje 3: mette har også rollen frontline i BS på linje 2; en rolle haves én gang pr. "
        "forvaltning.",
        "Linje 4: En anden kommune end på linje 2; en fil rummer én kommune.",
        "Linje 5: Rækken har 4 kolonner, ikke 10.",
        "Linje 7: Forvaltningens navn mangler.",
        "Linje 7: Brugernavnet mangler.",
        "Linje 8: Kun en enhed kan være frontlinje; enheden mangler.",
        "Linje 8: Angiv en gyldig e-mailadresse.",
    ]
    assert organisation() == EMPTY


@pytest.mark.django_db
def test_a_csv_file_with_other_columns_or_another_encoding_is_refused(tmp_path: Path) -> None:
    columns = tmp_path / "organisation.csv"
    columns.write_text("kommune;forvaltning\n147;BS\n", encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CSV_HEADER.encode() + "147,Frederiksberg,BS,Børn,,,,,,\n".encode("latin-1"))
    other = tmp_path / "organisation.xlsx"
    other.write_bytes(b"PK")

    assert refused(columns)[1] == [
        "Linje 1: Første linje skal navngive kolonnerne municipality_code;municipality_name;"
        "department;department_name;unit;frontline;username;name;email;role."
    ]
    assert refused(latin)[1] == ["Linje 2: Filen er ikke UTF-8-tekst."]
    assert refused(other)[1] == [
        "Linje 1: Filen skal ende på .yaml, .yml eller .csv, ikke '.xlsx'."
    ]
    assert organisation() == EMPTY


@pytest.mark.django_db
def test_a_missing_file_is_refused_in_danish(tmp_path: Path) -> None:
    error, problems = refused(tmp_path / "mangler.yaml")

    assert error == "Filen kan ikke læses: No such file or directory"
    assert problems == []
    assert organisation() == EMPTY
