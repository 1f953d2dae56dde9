from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indgang.catalogue.models import KleKeyword
from indgang.catalogue.os2kle import KeywordFormatError
from indgang.catalogue.services import KleImportReport, import_kle, import_kle_keywords
from indgang.common.models import ImportKind, ImportRun
from indgang.conftest import KLE_FULL, OS2KLE

pytestmark = pytest.mark.django_db

# Topics of the KLE subset: 13.03.20 and 13.02.17 are active, 13.03.02 retired; 99.99.99 is in
# no plan.
SMALL = (
    "KLENummer='13.03.20':KLETitel='Fjernvarme':Keywords[Weight]="
    "fjernvarme[5];varmepris[10];tilslutningspligt[5];\n"
    "KLENummer='13.02.17':KLETitel='Grundvand':Keywords[Weight]=grundvand[5];boring[5];\n"
    "KLENummer='13.03.02':KLETitel='Udgået':Keywords[Weight]=gammelt[5];\n"
    "KLENummer='99.99.99':KLETitel='Ukendt':Keywords[Weight]=ukendt[5];\n"
)


def write(tmp_path: Path, text: str, name: str = "OS2KLE.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def terms() -> dict[tuple[str, str], int]:
    return {
        (number, term): weight
        for number, term, weight in KleKeyword.objects.values_list(
            "topic__number", "term", "weight"
        )
    }


def test_terms_land_on_active_topics_and_the_rest_is_reported(
    tmp_path: Path, kle_subset: KleImportReport
) -> None:
    report = import_kle_keywords(path=write(tmp_path, SMALL))

    assert terms() == {
        ("13.03.20", "fjernvarme"): 5,
        ("13.03.20", "varmepris"): 10,
        ("13.03.20", "tilslutningspligt"): 5,
        ("13.02.17", "grundvand"): 5,
        ("13.02.17", "boring"): 5,
    }
    assert (report.topics, report.matched, report.terms) == (4, 2, 5)
    assert (report.created, report.updated, report.deleted, report.unchanged) == (5, 0, 0, 0)
    assert (report.missing, report.retired) == (["99.99.99"], ["13.03.02"])
    assert report.lines() == [
        "KLE-emneord: 2 af 4 emner passer med emneplanen, 5 ord. Oprettet 5, opdateret 0, "
        "slettet 0, uændret 0.",
        "Udeladt, fordi emneplanen ikke har dem: 1 emner (99.99.99)",
        "Udeladt, fordi de er udgået af emneplanen: 1 emner (13.03.02)",
    ]
    run = ImportRun.objects.get(kind=ImportKind.KLE_KEYWORDS)
    assert (run.source, run.records, run.changed) == ("OS2KLE.txt", 4, 5)


def test_reimport_updates_in_place_and_removes_terms_gone_upstream(
    tmp_path: Path, kle_subset: KleImportReport
) -> None:
    import_kle_keywords(path=write(tmp_path, SMALL))
    kept = KleKeyword.objects.get(term="fjernvarme").pk
    newer = (
        "KLENummer='13.03.20':KLETitel='Fjernvarme':Keywords[Weight]="
        "fjernvarme[5];varmepris[20];varmeregning[5];\n"
    )

    report = import_kle_keywords(path=write(tmp_path, newer))

    assert terms() == {
        ("13.03.20", "fjernvarme"): 5,
        ("13.03.20", "varmepris"): 20,
        ("13.03.20", "varmeregning"): 5,
    }
    assert KleKeyword.objects.get(term="fjernvarme").pk == kept
    assert (report.created, report.updated, report.deleted, report.unchanged) == (1, 1, 3, 1)


def test_a_term_written_twice_in_a_topic_keeps_its_highest_weight(
    tmp_path: Path, kle_subset: KleImportReport
) -> None:
    text = "KLENummer='13.03.20':KLETitel='F':Keywords[Weight]=fjernvarme[5]; fjernvarme [50];\n"

    import_kle_keywords(path=write(tmp_path, text))

    assert terms() == {("13.03.20", "fjernvarme"): 50}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            SMALL + "KLENummer='13.03':KLETitel='Gruppe':Keywords[Weight]=varme[5];\n",
            "Linje 5 er ikke på formen KLENummer='…':KLETitel='…':Keywords[Weight]=….",
        ),
        (
            SMALL + "KLENummer='13.03.00':KLETitel='V':Keywords[Weight]=varme[fem];\n",
            "Linje 5 har et ord, der ikke er på formen ord[vægt]: 'varme[fem]'.",
        ),
        (SMALL + SMALL.splitlines()[0] + "\n", "Linje 5 gentager KLE-emne 13.03.20."),
        ("\n\n", "Filen indeholder ingen KLE-emner."),
    ],
)
def test_a_malformed_file_changes_nothing_and_says_which_line(
    tmp_path: Path, kle_subset: KleImportReport, text: str, message: str
) -> None:
    import_kle_keywords(path=write(tmp_path, SMALL))
    before = terms()

    with pytest.raises(CommandError) as raised:
        call_command("import-kle-keywords", str(write(tmp_path, text, "bad.txt")))

    assert str(raised.value) == f"Emneordsfilen blev ikke indlæst, og intet er ændret: {message}"
    assert terms() == before
    assert ImportRun.objects.filter(kind=ImportKind.KLE_KEYWORDS).count() == 1


def test_a_file_that_is_not_utf8_or_not_there_is_refused(
    tmp_path: Path, kle_subset: KleImportReport
) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(SMALL.encode("latin-1"))

    with pytest.raises(KeywordFormatError, match=r"^Filen er ikke UTF-8-tekst\.$"):
        import_kle_keywords(path=latin1)
    with pytest.raises(KeywordFormatError, match=r"^Filen .*nowhere.txt findes ikke\.$"):
        import_kle_keywords(path=tmp_path / "nowhere.txt")
    assert not KleKeyword.objects.exists()


def test_keywords_need_the_plan_first(tmp_path: Path, db: None) -> None:
    with pytest.raises(
        KeywordFormatError, match=r"^Indlæs KLE-emneplanen først: der er ingen emner endnu\.$"
    ):
        import_kle_keywords(path=write(tmp_path, SMALL))


def test_the_whole_os2kle_file_on_the_2015_plan_in_under_30_seconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import_kle(path=KLE_FULL)
    started = time.perf_counter()

    call_command("import-kle-keywords", str(OS2KLE))

    seconds = time.perf_counter() - started
    output = capsys.readouterr().out.splitlines()
    assert output[1:4] == [
        "KLE-emneord: 1943 af 2390 emner passer med emneplanen, 29769 ord. Oprettet 29769, "
        "opdateret 0, slettet 0, uændret 0.",
        "Udeladt, fordi emneplanen ikke har dem: 442 emner "
        "(00.07.17, 00.07.45, 00.15.20, 00.15.25, 00.16.10, …)",
        "Udeladt, fordi de er udgået af emneplanen: 5 emner "
        "(00.15.12, 09.00.02, 15.25.00, 23.01.06, 23.02.00)",
    ]
    assert output[4].startswith("Indlæst på ")
    assert seconds < 30
    again = import_kle_keywords(path=OS2KLE)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 29769)
    assert KleKeyword.objects.count() == 29769
