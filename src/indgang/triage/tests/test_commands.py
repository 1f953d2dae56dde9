from __future__ import annotations

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from indgang.catalogue.models import Task
from indgang.conftest import KLE_SUBSET
from indgang.triage.models import ModelVersion

ROWS = [
    ("Der er rotter i haven", "09.13.01"),
    ("Rotter i kælderen under huset", "09.13.01"),
    ("Ansøgning om byggetilladelse til carport", "02.34.02"),
    ("Vil bygge en garage og søger tilladelse", "02.34.02"),
    ("Jeg vil tilsluttes fjernvarme", "13.03.20"),
]


def _write(
    path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "kle")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args: str) -> str:
    out = StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue()


def test_suggest_prints_the_top_three_with_number_title_unit_confidence_and_words(
    catalogue: dict[str, Task],
) -> None:
    lines = _run("suggest", "rotter i haven").splitlines()

    assert len(lines) == 3
    assert re.fullmatch(r"09\.13\.01  Rotter  Byggesager  0\.9\d\d  ord: rotter", lines[0])


def test_eval_prints_exactly_one_line_in_the_agreed_format(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    path = _write(tmp_path / "eval.csv", ROWS)

    assert _run("eval", "--file", str(path)) == "n=5 top1=1.000 top3=1.000\n"
    assert _run("eval", "--file", str(path), "--level", "main") == "n=5 top1=1.000 top3=1.000\n"
    assert ModelVersion.objects.count() == 0


def test_eval_at_a_coarser_level_counts_a_sibling_topic_as_a_hit(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    path = _write(tmp_path / "eval.csv", [("Der er rotter i haven", "09.13.99")])

    assert _run("eval", "--file", str(path), "--level", "topic") == "n=1 top1=0.000 top3=0.000\n"
    assert _run("eval", "--file", str(path), "--level", "group") == "n=1 top1=1.000 top3=1.000\n"


def test_eval_with_a_train_fraction_evaluates_only_the_rest(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    path = _write(tmp_path / "eval.csv", ROWS)

    output = _run("eval", "--file", str(path), "--train-fraction", "0.8")
    baseline = _run("eval", "--file", str(path), "--train-fraction", "0.8", "--cold")

    assert re.fullmatch(r"n=1 top1=[01]\.000 top3=[01]\.000\n", output)
    assert re.fullmatch(r"n=1 top1=[01]\.000 top3=[01]\.000\n", baseline)


def test_learning_the_training_share_changes_what_is_suggested_for_the_rest(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    # Texts the cold start puts under heating and two heating topics no task owns (the whole
    # plan competes); the file says they are about rats.
    rows = [(f"Lugt fra kloak og fjernvarmerør nr {i}", "09.13.01") for i in range(10)]
    path = _write(tmp_path / "eval.csv", rows)

    cold = _run("eval", "--file", str(path), "--train-fraction", "0.8", "--cold")
    learned = _run("eval", "--file", str(path), "--train-fraction", "0.8")

    assert cold == "n=2 top1=0.000 top3=0.000\n"
    assert learned == "n=2 top1=1.000 top3=1.000\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("tekst,emne\nrotter,09.13.01\n", "Første linje skal være overskriften text,kle."),
        ("text,kle\nrotter,\n", "Linje 2 skal have en tekst og et KLE-nummer."),
        ("text,kle\n", "Filen har ingen rækker at evaluere."),
    ],
)
def test_eval_refuses_a_malformed_file_in_danish(
    catalogue: dict[str, Task], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "eval.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as error:
        _run("eval", "--file", str(path))

    assert str(error.value) == message


def test_eval_refuses_a_train_fraction_outside_zero_and_one(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    path = _write(tmp_path / "eval.csv", ROWS)

    with pytest.raises(CommandError) as error:
        _run("eval", "--file", str(path), "--train-fraction", "1.5")

    assert str(error.value) == "--train-fraction skal være et tal mellem 0 og 1, fx 0.8."


def test_build_eval_writes_guidance_lines_of_topics_the_catalogue_carries(
    catalogue: dict[str, Task], tmp_path: Path
) -> None:
    out = tmp_path / "kle.csv"

    message = _run("build-eval", "--kle", str(KLE_SUBSET), "--out", str(out))

    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    carried = {"13.03.20", "13.03.00", "13.02.17", "09.13.01", "02.34.02"}
    assert rows and {row["kle"] for row in rows} <= carried
    assert (
        message == f"Skrev {len(rows)} rækker om {len({r['kle'] for r in rows})} emner til {out}.\n"
    )


def test_retrain_stores_a_version_and_versions_lists_it(catalogue: dict[str, Task]) -> None:
    retrained = _run("retrain")
    again = _run("retrain")
    listed = _run("versions")

    version = ModelVersion.objects.get()
    assert retrained.startswith(f"v{version.pk}  ")
    # The five task routes and the 68 active topics of the KLE subset that no task owns.
    assert "0 eksempler, 73 ruter" in retrained
    assert again == "Intet nyt siden den nyeste modelversion.\n"
    assert listed.rstrip().endswith("i drift: n=0 top1=0.000 top3=0.000")
