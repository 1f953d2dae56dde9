from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from indgang.catalogue.models import Task
from indgang.conftest import Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.triage.constants import TrainingKind, Verdict
from indgang.triage.models import ModelVersion, QueueItem, RoutingDecision
from indgang.triage.selectors import suggest
from indgang.triage.services import (
    TriageCount,
    record_front_desk_routing,
    record_routing,
    route_from_queue,
    train_model,
    triage_contact,
    triage_waiting,
)

Capture = Callable[..., Any]


def test_rats_in_the_garden_suggest_the_rat_task_with_its_topic_unit_and_words(
    catalogue: dict[str, Task], org: Org
) -> None:
    suggestions = suggest(text="Der er rotter i haven")

    first = suggestions.items[0]
    assert first.task == catalogue["rats"]
    assert first.kle_topic is not None and first.kle_topic.number == "09.13.01"
    assert first.unit == org.building_unit
    assert first.words == ["rotter"]
    assert first.confidence > 0.9
    assert suggestions.confident
    assert len(suggestions.items) == 3
    assert suggestions.model_version is None  # cold start, nothing stored yet
    assert ModelVersion.objects.count() == 0


def test_a_compound_written_apart_finds_the_building_task(catalogue: dict[str, Task]) -> None:
    assert suggest(text="bygge tilladelse til en carport").items[0].task == catalogue["building"]


def test_retraining_after_staff_corrections_changes_the_top_suggestion(
    catalogue: dict[str, Task],
    register: RegisterContact,
    staff: Staff,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    text = "Fugt og skimmel i lejligheden"
    # Only topics of the plan that no task owns: no task yet.
    assert suggest(text=text).first_task_id is None
    train_model(now=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        for summary in (text, "Skimmel på væggen i lejligheden", "Fugtig lejlighed med skimmel"):
            contact = register(summary=summary)
            record_routing(
                contact=contact,
                task=catalogue["groundwater"],
                decided_by=staff.frontline,
                now=timezone.now(),
            )

    newest = ModelVersion.objects.order_by("-pk").first()
    assert newest is not None
    assert newest.kind == TrainingKind.INCREMENTAL
    assert newest.examples == 3
    assert suggest(text=text).items[0].task == catalogue["groundwater"]
    assert suggest(text=text).model_version == newest


def test_incremental_metrics_score_new_routings_with_the_previous_version(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    first = train_model(now=timezone.now())
    # The first is suggested first; the second is a correction that the three suggestions
    # missed (a topic without a task, groundwater, another topic).
    for summary, task in (("rotter i haven", "rats"), ("vand i kælderen", "heating")):
        record_routing(
            contact=register(summary=summary),
            task=catalogue[task],
            decided_by=staff.frontline,
            now=timezone.now(),
        )

    second = train_model(now=timezone.now())

    assert first is not None and first.kind == TrainingKind.COLD_START
    assert first.metrics == {"n": 0}
    assert second is not None
    assert second.metrics == {"n": 2, "top1": 0.5, "top3": 0.5}
    assert second.last_example_id == RoutingDecision.objects.order_by("-pk")[0].pk


def test_nothing_new_stores_no_new_version(catalogue: dict[str, Task]) -> None:
    train_model(now=timezone.now())

    assert train_model(now=timezone.now()) is None
    assert ModelVersion.objects.count() == 1


def test_a_rerouted_contact_counts_once_with_its_latest_task(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    contact = register(summary="Rotter ved skraldespandene")
    earlier = record_routing(
        contact=contact, task=catalogue["rats"], decided_by=staff.frontline, now=timezone.now()
    )
    train_model(now=timezone.now())

    later = record_routing(
        contact=contact,
        task=catalogue["building"],
        decided_by=staff.caseworker,
        now=timezone.now(),
    )
    version = train_model(now=timezone.now())
    full = train_model(now=timezone.now(), full=True)

    earlier.refresh_from_db()
    assert earlier.superseded_by == later
    assert version is not None and version.examples == 1
    assert full is not None and full.examples == 1 and full.kind == TrainingKind.FULL


def test_staff_confirming_the_first_suggestion_is_recorded_as_confirmed(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff, org: Org
) -> None:
    contact = register(summary="rotter i haven")

    decision = record_routing(
        contact=contact, task=catalogue["rats"], decided_by=staff.frontline, now=timezone.now()
    )

    contact.refresh_from_db()
    assert decision.verdict == Verdict.CONFIRMED
    assert decision.suggested_task == catalogue["rats"]
    assert [row["task"] for row in decision.suggested][0] == catalogue["rats"].pk
    assert decision.kle_topic is not None and decision.kle_topic.number == "09.13.01"
    assert (contact.task, contact.unit, contact.department) == (
        catalogue["rats"],
        org.building_unit,
        org.building_dept,
    )
    assert contact.handled_by is None
    assert contact.thread.department == org.building_dept  # the thread it started moves too


def test_staff_choosing_another_task_is_recorded_as_corrected(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    decision = record_routing(
        contact=register(summary="rotter i haven"),
        task=catalogue["heating"],
        decided_by=staff.frontline,
        now=timezone.now(),
    )

    assert decision.verdict == Verdict.CORRECTED
    assert decision.suggested_task == catalogue["rats"]
    assert decision.kle_topic is not None and decision.kle_topic.number == "13.03.00"


def test_an_inactive_task_is_refused_and_nothing_changes(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    Task.objects.filter(pk=catalogue["heating"].pk).update(is_active=False)
    catalogue["heating"].refresh_from_db()
    contact = register(summary="fjernvarme")

    with pytest.raises(ValidationError) as error:
        record_routing(
            contact=contact,
            task=catalogue["heating"],
            decided_by=staff.frontline,
            now=timezone.now(),
        )

    assert error.value.message_dict == {
        "task": ["Opgaven Tilslutning til fjernvarme er ikke længere i brug."]
    }
    contact.refresh_from_db()
    assert contact.task is None
    assert RoutingDecision.objects.count() == 0


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_below_the_threshold_the_contact_waits_in_the_queue_unrouted(
    catalogue: dict[str, Task], register: RegisterContact, org: Org, staff: Staff
) -> None:
    contact = register(summary="Jeg har et spørgsmål til et brev")

    item = triage_contact(contact=contact, now=timezone.now())

    contact.refresh_from_db()
    assert isinstance(item, QueueItem)
    assert item.confidence < 0.99
    # A vague text: three topics of the plan that no task owns.
    assert [(row["task"], row["kle_topic"]) for row in item.suggested] == [
        (None, "13.00.05"),
        (None, "13.00.01"),
        (None, "14.01.02"),
    ]
    assert (contact.task, contact.unit, contact.handled_by) == (
        None,
        org.contact_centre,
        staff.frontline,
    )
    assert RoutingDecision.objects.count() == 0
    assert triage_contact(contact=contact, now=timezone.now()) is None
    assert QueueItem.objects.count() == 1


@override_settings(TRIAGE_THRESHOLD=0.5)
def test_above_the_threshold_the_contact_is_routed_automatically_without_a_label(
    catalogue: dict[str, Task], register: RegisterContact, org: Org
) -> None:
    contact = register(summary="Der er rotter i haven")

    decision = triage_contact(contact=contact, now=timezone.now())

    contact.refresh_from_db()
    assert isinstance(decision, RoutingDecision)
    assert decision.verdict == Verdict.AUTOMATIC
    assert decision.decided_by is None
    assert (contact.task, contact.kle_topic, contact.unit, contact.department) == (
        catalogue["rats"],
        decision.kle_topic,
        org.building_unit,
        org.building_dept,
    )
    assert QueueItem.objects.count() == 0
    assert train_model(now=timezone.now()) is not None
    assert ModelVersion.objects.get().examples == 0


@override_settings(TRIAGE_THRESHOLD=0.5)
def test_a_confident_triage_keeps_a_resolved_contact_in_its_unit(
    catalogue: dict[str, Task], register: RegisterContact, org: Org
) -> None:
    contact = register(summary="Der er rotter i haven", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    triage_contact(contact=contact, now=timezone.now())

    contact.refresh_from_db()
    assert (contact.task, contact.unit) == (catalogue["rats"], org.contact_centre)


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_routing_from_the_queue_closes_the_item_and_compares_with_what_it_showed(
    catalogue: dict[str, Task], register: RegisterContact, org: Org, staff: Staff
) -> None:
    contact = register(summary="Jeg har et spørgsmål til et brev")
    item = triage_contact(contact=contact, now=timezone.now())
    assert isinstance(item, QueueItem)

    decision = route_from_queue(
        item=item,
        task=catalogue["groundwater"],
        decided_by=staff.frontline,
        now=timezone.now(),
    )

    item.refresh_from_db()
    contact.refresh_from_db()
    assert item.routed_at is not None and item.decision == decision
    assert decision.suggested == item.suggested
    # The suggestions were topics without a task: choosing a task corrects them.
    assert decision.verdict == Verdict.CORRECTED
    assert (contact.task, contact.unit) == (catalogue["groundwater"], org.benefits_unit)
    with pytest.raises(ValidationError) as error:
        route_from_queue(
            item=item, task=catalogue["rats"], decided_by=staff.frontline, now=timezone.now()
        )
    assert error.value.messages == ["Henvendelsen er allerede visiteret."]
    assert RoutingDecision.objects.count() == 1


def test_front_desk_task_becomes_a_label_without_moving_the_contact(
    catalogue: dict[str, Task], register: RegisterContact, org: Org, staff: Staff
) -> None:
    contact = register(
        summary="rotter i haven",
        task=catalogue["rats"],
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
    )

    decision = record_front_desk_routing(
        contact=contact, decided_by=staff.frontline, now=timezone.now()
    )

    contact.refresh_from_db()
    assert isinstance(decision, RoutingDecision)
    assert decision.verdict == Verdict.CONFIRMED
    assert decision.unit == org.contact_centre
    assert contact.unit == org.contact_centre
    assert Contact.objects.get(pk=contact.pk).handled_by == staff.frontline


def test_an_empty_catalogue_gives_no_suggestions_and_queues_even_a_resolved_contact(
    register: RegisterContact,
) -> None:
    contact = register(summary="Åbningstider?", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)

    assert suggest(text="Åbningstider?").items == []
    item = triage_contact(contact=contact, now=timezone.now())
    assert isinstance(item, QueueItem)
    assert (item.contact, item.suggested, item.routed_at) == (contact, [], None)
    assert QueueItem.objects.get() == item


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_an_unsure_resolved_contact_is_queued_and_routing_it_only_classifies_it(
    catalogue: dict[str, Task], register: RegisterContact, org: Org, staff: Staff
) -> None:
    contact = register(
        summary="Jeg har et spørgsmål til et brev", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT
    )
    assert (contact.task, contact.unit, contact.handled_by) == (
        None,
        org.contact_centre,
        staff.frontline,
    )

    item = triage_contact(contact=contact, now=timezone.now())

    assert isinstance(item, QueueItem)
    contact.refresh_from_db()
    assert (contact.task, contact.awaiting_triage) == (None, False)
    with pytest.raises(ValidationError) as error:
        route_from_queue(
            item=item,
            task=catalogue["rats"],
            unit=org.building_unit,
            decided_by=staff.frontline,
            now=timezone.now(),
        )
    assert error.value.message_dict == {
        "unit": ["Henvendelsen blev løst ved første kontakt: vælg kun dens opgave."]
    }
    assert RoutingDecision.objects.count() == 0

    decision = route_from_queue(
        item=item, task=catalogue["groundwater"], decided_by=staff.frontline, now=timezone.now()
    )

    contact.refresh_from_db()
    item.refresh_from_db()
    assert item.decision == decision
    assert (contact.task, contact.kle_topic, contact.unit, contact.handled_by) == (
        catalogue["groundwater"],
        decision.kle_topic,
        org.contact_centre,
        staff.frontline,
    )
    assert contact.kle_topic is not None
    assert decision.unit == org.contact_centre


def test_routing_a_follow_up_leaves_the_shared_thread_where_it_is(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff, org: Org
) -> None:
    first = register(summary="Spørger om fjernvarme")
    follow_up = register(summary="Og nu rotter i haven", thread=first.thread)

    record_routing(
        contact=follow_up, task=catalogue["rats"], decided_by=staff.frontline, now=timezone.now()
    )

    follow_up.refresh_from_db()
    assert follow_up.department == org.building_dept
    assert follow_up.thread.department == org.frontline_dept


@override_settings(TRIAGE_THRESHOLD=0.9)
def test_the_sweep_triages_every_waiting_contact_in_one_pass_and_each_only_once(
    catalogue: dict[str, Task], register: RegisterContact, org: Org
) -> None:
    rats = register(summary="Der er rotter i haven")
    letter = register(summary="Jeg har et spørgsmål til et brev")
    resolved = register(
        summary="Jeg har et spørgsmål til et brev", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT
    )
    register(summary="Spørger om fjernvarme", task=catalogue["heating"])
    assert list(Contact.objects.filter(awaiting_triage=True).order_by("pk")) == [
        rats,
        letter,
        resolved,
    ]

    count = triage_waiting(now=timezone.now())

    assert count == TriageCount(triaged=3, routed=1, queued=2)
    assert Contact.objects.filter(awaiting_triage=True).count() == 0
    rats.refresh_from_db()
    assert (rats.task, rats.unit) == (catalogue["rats"], org.building_unit)
    assert RoutingDecision.objects.get().contact == rats
    assert [item.contact for item in QueueItem.objects.order_by("contact_id")] == [
        letter,
        resolved,
    ]
    assert triage_waiting(now=timezone.now()) == TriageCount(triaged=0, routed=0, queued=0)
    assert triage_contact(contact=letter, now=timezone.now()) is None
    assert (RoutingDecision.objects.count(), QueueItem.objects.count()) == (1, 2)


def _rows_changed() -> int:
    """Rows updated in contacts_contact in this transaction (PostgreSQL), or rows written by
    this connection in all (SQLite, which counts no table on its own)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated(%s::regclass)", ["contacts_contact"]
            )
        else:
            cursor.execute("SELECT total_changes()")
        changed: int = cursor.fetchone()[0]
    return changed


@override_settings(TRIAGE_THRESHOLD=0.9)
def test_the_sweep_writes_each_waiting_contact_once(
    catalogue: dict[str, Task], register: RegisterContact
) -> None:
    # Each new version of a contact's row is a new entry in every one of its indexes.
    register(summary="Der er rotter i haven")  # routed
    register(summary="Jeg har et spørgsmål til et brev")  # queued
    register(summary="Et brev", outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)  # queued to classify
    before = _rows_changed()

    assert triage_waiting(now=timezone.now()) == TriageCount(triaged=3, routed=1, queued=2)

    # SQLite counts the routed contact's thread (moved with it), the decision and the two items
    # too, and the statistics' buckets its trigger moved the contact between: out of its five
    # old buckets (one UPDATE per grain, the month grains' included) and into its five new ones
    # (one upsert per grain).
    assert _rows_changed() - before == (3 if connection.vendor == "postgresql" else 7 + 10)


@override_settings(TRIAGE_THRESHOLD=0.5)
def test_the_sweep_stores_each_decision_and_queue_item_as_triage_made_it(
    catalogue: dict[str, Task], register: RegisterContact
) -> None:
    texts = ["Der er rotter i haven", 'Et "brev" om \\ noget andet', "Rotter i kælderen"] * 5
    contacts = [register(summary=text) for text in texts]
    expected = {
        contact.pk: suggest(text=contact.summary, channel=contact.channel, party_kind="")
        for contact in contacts
    }

    count = triage_waiting(now=timezone.now())

    decisions = RoutingDecision.objects.order_by("pk")
    items = QueueItem.objects.order_by("pk")
    assert count == TriageCount(triaged=15, routed=10, queued=5)
    assert [d.contact_id for d in decisions] == [c.pk for c in contacts if "otter" in c.summary]
    assert [i.contact_id for i in items] == [c.pk for c in contacts if "brev" in c.summary]
    stored = [(d.contact_id, d.suggested) for d in decisions] + [
        (i.contact_id, i.suggested) for i in items
    ]
    assert [suggested for _, suggested in stored] == [expected[pk].snapshot() for pk, _ in stored]
    assert [d.task for d in decisions] == [catalogue["rats"]] * 10


@override_settings(TRIAGE_THRESHOLD=0.99)
def test_the_sweep_takes_the_oldest_waiting_contacts_first_up_to_its_limit(
    catalogue: dict[str, Task], register: RegisterContact
) -> None:
    contacts = [register(summary=f"Spørgsmål nummer {number} om et brev") for number in range(3)]

    assert triage_waiting(now=timezone.now(), limit=2).triaged == 2

    assert [item.contact for item in QueueItem.objects.order_by("contact_id")] == contacts[:2]
    assert list(Contact.objects.filter(awaiting_triage=True)) == [contacts[2]]


@override_settings(TRIAGE_THRESHOLD=0.5)
def test_a_contact_routed_by_staff_before_the_sweep_is_not_triaged_again(
    catalogue: dict[str, Task], register: RegisterContact, staff: Staff
) -> None:
    contact = register(summary="Der er rotter i haven")
    record_routing(
        contact=contact, task=catalogue["building"], decided_by=staff.frontline, now=timezone.now()
    )

    assert triage_waiting(now=timezone.now()).triaged == 0

    contact.refresh_from_db()
    assert contact.task == catalogue["building"]
    assert list(RoutingDecision.objects.values_list("verdict", flat=True)) == [Verdict.CORRECTED]
