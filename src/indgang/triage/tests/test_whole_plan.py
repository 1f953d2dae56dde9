"""Issue 23: suggestions over the whole active plan, and the evaluation against baselines."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.catalogue.constants import Channel, KleLevel
from indgang.catalogue.models import KleEntry, KleKeyword, MainGroupOwner, Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.models import Contact
from indgang.contacts.services import NewContact, register_contacts_in_bulk
from indgang.organisation.selectors import get_scope
from indgang.triage import selectors
from indgang.triage.evaluation import EvalRow, build_keyword_rows, compare
from indgang.triage.services import record_routing, record_routings_in_bulk, train_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def gulls(catalogue: dict[str, Task]) -> KleEntry:
    """A topic of main group 09 that no task owns, with OS2KLE terms."""
    topic = KleEntry.objects.create(
        number="09.13.10",
        level=KleLevel.TOPIC,
        parent=KleEntry.objects.get(number="09.13"),
        title="Måger og duer",
    )
    KleKeyword.objects.bulk_create(
        [
            KleKeyword(topic=topic, term="mågeunger", weight=5),
            KleKeyword(topic=topic, term="duer på altanen", weight=5),
            KleKeyword(topic=topic, term="ok 09", weight=1000),
        ]
    )
    return topic


@override_settings(TRIAGE_THRESHOLD=0.3)
def test_a_topic_no_task_owns_is_suggested_with_its_main_groups_department(
    gulls: KleEntry, org: Org
) -> None:
    suggestions = selectors.suggest(text="mågeunger skriger på taget")

    first = suggestions.items[0]
    assert (first.task, first.kle_topic, first.unit) == (None, gulls, None)
    # The rats task (building department) is the only one carrying a topic of main group 09.
    assert first.department == org.building_dept
    assert first.words == ["mågeunger"]
    assert first.snapshot()["task"] is None
    assert first.snapshot()["department"] == org.building_dept.pk
    # A topic without a task is never routed automatically, however sure.
    assert first.confidence > suggestions.threshold
    assert not suggestions.confident


def test_the_main_groups_owner_set_in_the_admin_answers_for_the_topic(
    gulls: KleEntry, org: Org
) -> None:
    MainGroupOwner.objects.create(
        main_group=KleEntry.objects.get(number="09"), department=org.benefits_dept
    )

    first = selectors.suggest(text="mågeunger").items[0]
    shown = selectors.suggestions_from_snapshot([first.snapshot()], version=None).items[0]

    assert first.department == org.benefits_dept
    assert (shown.task, shown.kle_topic, shown.department) == (None, gulls, org.benefits_dept)


def test_a_model_version_keeps_the_main_groups_owners_until_the_next_version(
    gulls: KleEntry,
    org: Org,
    catalogue: dict[str, Task],
    register: RegisterContact,
    staff: Staff,
) -> None:
    train_model(now=timezone.now())
    selectors.suggest(text="mågeunger")  # loads the version and its owners
    MainGroupOwner.objects.create(
        main_group=KleEntry.objects.get(number="09"), department=org.benefits_dept
    )

    with CaptureQueriesContext(connection) as kept:
        same_version = selectors.suggest(text="mågeunger").items[0]
    _train_a_new_version(register, catalogue, staff)
    next_version = selectors.suggest(text="mågeunger").items[0]

    # The newest version and the tasks; neither the owners nor the topics (two statements).
    assert len(kept.captured_queries) == 2
    assert same_version.department == org.building_dept
    assert next_version.department == org.benefits_dept


# The topics' own read; the owners' reads join the plan's table but are not from it.
TOPICS_READ = 'FROM "catalogue_kleentry"'


def test_a_model_version_keeps_the_topics_it_has_shown_until_the_next_version(
    gulls: KleEntry, catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    train_model(now=timezone.now())
    selectors.suggest(text="mågeunger")  # reads the topics it shows
    KleEntry.objects.filter(pk=gulls.pk).update(title="Måger")

    with CaptureQueriesContext(connection) as kept:
        same_version = selectors.suggest(text="mågeunger").items[0]
    _train_a_new_version(register, catalogue, staff)
    with CaptureQueriesContext(connection) as next_read:
        next_version = selectors.suggest(text="mågeunger").items[0]

    assert not any(TOPICS_READ in query["sql"] for query in kept.captured_queries)
    assert sum(TOPICS_READ in query["sql"] for query in next_read.captured_queries) == 1
    assert _number_and_title(same_version) == ("09.13.10", "Måger og duer")
    assert _number_and_title(next_version) == ("09.13.10", "Måger")


def test_a_process_reads_the_topics_again_when_its_minute_is_up(
    gulls: KleEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    train_model(now=timezone.now())
    selectors.suggest(text="mågeunger")
    KleEntry.objects.filter(pk=gulls.pk).update(title="Måger")
    monkeypatch.setattr(selectors, "KEPT_SECONDS", 0.0)

    first = selectors.suggest(text="mågeunger").items[0]

    assert _number_and_title(first) == ("09.13.10", "Måger")


def _train_a_new_version(
    register: RegisterContact, catalogue: dict[str, Task], staff: Staff
) -> None:
    """One more routing learned: the next model version."""
    record_routing(
        contact=register(summary="rotter i haven"),
        task=catalogue["rats"],
        decided_by=staff.frontline,
        now=timezone.now(),
    )
    train_model(now=timezone.now())


def _number_and_title(suggestion: selectors.Suggestion) -> tuple[str, str] | None:
    topic = suggestion.kle_topic
    return (topic.number, topic.title) if topic else None


def test_account_codes_are_no_words_and_held_out_terms_never_reach_the_model(
    gulls: KleEntry,
) -> None:
    catalogue = selectors.get_catalogue()
    held_out = selectors.get_catalogue(exclude=frozenset({"mågeunger"}))
    route = next(route for route in catalogue.documents if route.topic_id == gulls.pk)

    assert catalogue.documents[route].splitlines()[-2:] == ["duer på altanen", "mågeunger"]
    assert "ok 09" not in catalogue.documents[route]
    assert "mågeunger" not in held_out.documents[route]


def test_keyword_rows_are_a_seeded_share_of_the_terms(gulls: KleEntry) -> None:
    assert build_keyword_rows(share=0.5, seed=1) == build_keyword_rows(share=0.5, seed=1)
    assert len(build_keyword_rows(share=0.5)) == 1
    assert {row.text for row in build_keyword_rows(share=1.0)} == {"mågeunger", "duer på altanen"}


def test_eval_baseline_prints_both_baselines_and_the_model_on_the_same_rows(
    gulls: KleEntry, tmp_path: Path
) -> None:
    KleKeyword.objects.bulk_create(
        KleKeyword(topic=gulls, term=term, weight=5) for term in ["måger", "duer", "fuglefrø"]
    )
    path = tmp_path / "kw.csv"
    out = StringIO()
    call_command("triage", "build-eval", "--from-keywords", "--out", str(path), stdout=out)
    # A fifth of the five terms (the account code is no term).
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert len(rows) == 2
    assert rows[1][1] == "09.13.10"

    out = StringIO()
    call_command("triage", "eval", "--file", str(path), "--baseline", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "1 rækker evalueret."
    assert [line[:32].strip() for line in lines[3:]] == [
        "TF-IDF over emneplanen",
        "Emneord fra OS2KLE",
        "Indgang, koldstart",
    ]
    # "mågeunger" is held out of every model: the baselines' words never meet it; the model's
    # character n-grams find the title "Måger og duer".
    test, rankings = compare(rows=[EvalRow("mågeunger", "09.13.10")])
    assert test == [EvalRow("mågeunger", "09.13.10")]
    assert [ranking.numbers for ranking in rankings[:2]] == [[[]], [[]]]
    assert rankings[2].numbers[0][0] == "09.13.10"


@pytest.mark.parametrize(
    ("parts", "model"),
    [
        # "rotterne" meets "Rotter" through the stem and through n-grams; the typo "mågeuger"
        # meets the term "mågeunger" only through n-grams.
        ([], "1.000  1.000"),
        (["stem"], "1.000  1.000"),
        (["ngrams"], "0.500  0.500"),
        (["stem", "ngrams"], "0.000  0.000"),
    ],
)
def test_eval_without_the_stem_or_the_n_grams_prints_the_rows_of_a_model_built_without(
    gulls: KleEntry, tmp_path: Path, parts: list[str], model: str
) -> None:
    path = tmp_path / "eval.csv"
    path.write_text("text,kle\nrotterne,09.13.01\nmågeuger,09.13.10\n", encoding="utf-8")
    out = StringIO()

    call_command(
        "triage",
        "eval",
        "--file",
        str(path),
        "--baseline",
        *[arg for part in parts for arg in ("--without", part)],
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == "2 rækker evalueret."
    assert lines[5].startswith(f"{'Indgang, koldstart':<32}{model}")


# What benchmarks/triage.py routes: the task's title or one of its topics' titles in a frame.
FRAMES = [
    "{}",
    "Spørger til {}",
    "Har brug for hjælp med {} i dag",
    "Ringer om {}, hvad skal jeg gøre?",
    "Henvendelse vedr. {}",
    "Har fået brev om {} og forstår det ikke",
]


def test_routings_to_a_task_keep_what_its_document_says_against_a_topic_nobody_routes_to(
    catalogue: dict[str, Task], staff: Staff
) -> None:
    general = KleEntry.objects.create(
        number="02.34.00",
        level=KleLevel.TOPIC,
        parent=KleEntry.objects.get(number="02.34"),
        title="Byggetilladelse og anmeldelse om byggearbejde i almindelighed",
    )
    KleKeyword.objects.bulk_create(
        KleKeyword(topic=general, term=term, weight=5)
        for term in ["Byggetilladelse", "Byggeanmeldelse", "I anledning af byggetilladelse"]
    )
    text = "byggetilladelse carport"
    cold = selectors.suggest(text=text).items[0]
    assert cold.task == catalogue["building"]
    now = timezone.now()
    routed = [
        (task, frame.format(subject))
        for task, subjects in [
            (catalogue["building"], ["byggesager", "byggetilladelser"]),
            (catalogue["rats"], ["rotter", "rottebekæmpelse"]),
        ]
        for subject in subjects
        for frame in FRAMES
    ]
    register_contacts_in_bulk(
        contacts=[
            NewContact(channel=Channel.PHONE, received_at=now, summary=summary, task=task)
            for _round in range(5)
            for task, summary in routed
        ],
        registered_by=staff.frontline,
        registrar=get_scope(user=staff.frontline),
        now=now,
    )
    record_routings_in_bulk(
        contacts=list(Contact.objects.select_related("party")), decided_by=staff.frontline, now=now
    )
    version = train_model(now=now, full=True)

    first = selectors.suggest(text=text).items[0]

    assert version is not None and version.examples == 120
    # Sixty routings to the building task never mention a carport; its guidance does.
    assert (first.task, first.kle_topic) == (
        catalogue["building"],
        KleEntry.objects.get(number="02.34.02"),
    )
    assert first.words == ["byggetilladelse", "carport"]
    assert first.confidence >= cold.confidence
