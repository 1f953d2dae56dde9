from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import KleEntry, Task
from indgang.conftest import CPR_A, CPR_B, CVR_A, Org, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact, Thread
from indgang.contacts.services import NewContact, register_contacts_in_bulk
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party
from indgang.parties.services import get_or_create_citizen


def test_contact_starts_a_thread_and_is_handled_in_the_registrars_unit(
    register: RegisterContact, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    contact = register(
        cpr=CPR_A,
        party_name="Karen Jensen",
        task=tasks["heating"],
        outcome=Outcome.RESOLVED_AT_FIRST_CONTACT,
    )

    assert contact.thread.party == contact.party
    assert contact.thread.subject == "Spørger om fjernvarme"
    assert (contact.unit_id, contact.department_id) == (
        org.contact_centre.pk,
        org.frontline_dept.pk,
    )
    assert contact.handled_by == staff.frontline
    assert contact.registered_by == staff.frontline
    # The task's topics are 13.03.00 and 13.03.20; the lowest number is the primary.
    assert contact.kle_topic == KleEntry.objects.get(number="13.03.00")


def test_forwarded_contact_belongs_to_the_receiving_unit_and_has_no_handler_yet(
    register: RegisterContact, org: Org, tasks: dict[str, Task]
) -> None:
    contact = register(
        cpr=CPR_A, task=tasks["groundwater"], unit=org.benefits_unit, outcome=Outcome.FORWARDED
    )

    assert (contact.unit_id, contact.department_id) == (org.benefits_unit.pk, org.benefits_dept.pk)
    assert contact.handled_by is None


def test_follow_up_joins_the_thread_and_moves_its_last_contact(register: RegisterContact) -> None:
    first = register(cpr=CPR_A, received_at=timezone.now() - dt.timedelta(days=2))
    later = timezone.now() - dt.timedelta(minutes=1)

    follow_up = register(cpr=CPR_A, channel=Channel.EMAIL, thread=first.thread, received_at=later)

    assert follow_up.thread_id == first.thread_id
    assert Thread.objects.get(pk=first.thread_id).last_contact_at == later
    assert Thread.objects.count() == 1


def test_each_party_is_found_or_created_once_and_the_stored_rows_are_those_returned(
    register: RegisterContact, staff: Staff, org: Org, tasks: dict[str, Task]
) -> None:
    first = register(cpr=CPR_A, party_name="Karen Jensen")
    again = register(cpr="010190-1234", task=tasks["heating"], party_name="Ignored")
    company = register(cvr=CVR_A, party_name="Fjernvarme A/S")
    company_again = register(cvr=CVR_A)
    given = register(party=first.party, channel=Channel.EMAIL)
    anonymous = register(summary="Hvornår har I åbent?\nOg hvor?")

    assert first.party_id == again.party_id == given.party_id
    assert company.party_id == company_again.party_id != first.party_id
    assert anonymous.party_id is None
    assert sorted(Party.objects.values_list("kind", "name")) == [
        ("citizen", "Karen Jensen"),
        ("company", "Fjernvarme A/S"),
    ]
    returned = [first, again, company, company_again, given, anonymous]
    stored = {contact.pk: contact for contact in Contact.objects.select_related("thread")}
    assert sorted(stored) == sorted(contact.pk for contact in returned)
    for contact in returned:
        row = stored[contact.pk]
        assert (row.thread_id, row.party_id, row.thread.party_id) == (
            contact.thread_id,
            contact.party_id,
            contact.party_id,
        )
        assert (row.channel, row.summary, row.task_id, row.kle_topic_id) == (
            contact.channel,
            contact.summary,
            contact.task_id,
            contact.kle_topic_id,
        )
        assert (row.unit_id, row.department_id, row.handled_by_id, row.registered_by_id) == (
            org.contact_centre.pk,
            org.frontline_dept.pk,
            staff.frontline.pk,
            staff.frontline.pk,
        )
        assert (row.created_at, row.awaiting_triage) == (
            contact.created_at,
            contact.task_id is None,
        )
        assert row.thread.last_contact_at == row.thread.created_at == contact.received_at
    assert stored[anonymous.pk].thread.subject == "Hvornår har I åbent?"
    assert Thread.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_citizen_created_meanwhile_by_another_registration_is_found_not_duplicated(
    register: RegisterContact,
) -> None:
    created, go = threading.Event(), threading.Event()
    made: list[int] = []

    def other_registration() -> None:
        try:
            with transaction.atomic():
                made.append(get_or_create_citizen(cpr=CPR_A).pk)
                created.set()
                go.wait(10)
                # Commit while the registration below waits for this transaction's new row.
                time.sleep(0.3)
        finally:
            connection.close()

    worker = threading.Thread(target=other_registration)
    worker.start()
    assert created.wait(10)
    go.set()
    contact = register(cpr=CPR_A)
    worker.join(10)

    assert list(Party.objects.values_list("pk", flat=True)) == made
    assert contact.party_id == made[0]
    assert Contact.objects.get().party_id == made[0]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"cpr": CPR_A, "received_at": timezone.now() + dt.timedelta(hours=1), "summary": " "},
            {
                "received_at": ["Modtagelsestidspunktet kan ikke ligge i fremtiden."],
                "summary": ["Skriv et kort resumé af henvendelsen."],
            },
        ),
        (
            {"cpr": CPR_A, "outcome": Outcome.FORWARDED},
            {"unit": ["Vælg den enhed, henvendelsen videresendes til."]},
        ),
        ({"cvr": "13585491"}, {"cvr": ["CVR-nummerets kontrolciffer passer ikke; tjek nummeret."]}),
    ],
)
def test_refused_contact_stores_nothing(
    register: RegisterContact, fields: dict[str, object], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as error:
        register(**fields)

    assert error.value.message_dict == errors
    assert (Contact.objects.count(), Thread.objects.count(), Party.objects.count()) == (0, 0, 0)


def test_thread_of_another_party_is_refused_and_the_new_party_rolled_back(
    register: RegisterContact,
) -> None:
    theirs = register(cpr=CPR_A)

    with pytest.raises(ValidationError) as error:
        register(cpr=CPR_B, thread=theirs.thread)

    assert error.value.message_dict == {
        "thread": ["Forløbet tilhører en anden borger eller virksomhed."]
    }
    assert Party.objects.count() == 1
    assert Contact.objects.count() == 1


def test_retired_kle_topic_is_refused(register: RegisterContact, kle_subset: object) -> None:
    retired = KleEntry.objects.get(number="13.00.02")

    with pytest.raises(ValidationError) as error:
        register(kle_topic=retired)

    assert error.value.message_dict == {"kle_topic": ["KLE-emnet 13.00.02 udgik den 2013-02-01."]}


def test_bulk_registration_is_all_or_nothing(staff: Staff) -> None:
    now = timezone.now()
    good = NewContact(
        channel=Channel.LETTER, received_at=now, summary="Brev om fjernvarme", cpr=CPR_A
    )
    bad = NewContact(channel=Channel.EMAIL, received_at=now + dt.timedelta(days=1), summary="x")
    scope = get_scope(user=staff.frontline)

    with pytest.raises(ValidationError) as error:
        register_contacts_in_bulk(
            contacts=[good, bad], registered_by=staff.frontline, registrar=scope, now=now
        )

    assert error.value.messages == ["Række 2: Modtagelsestidspunktet kan ikke ligge i fremtiden."]
    assert (Contact.objects.count(), Party.objects.count()) == (0, 0)


def test_bulk_registration_finds_or_creates_each_party_once(
    staff: Staff, register: RegisterContact
) -> None:
    existing = register(cpr=CPR_A).party
    now = timezone.now()
    rows = [
        NewContact(channel=Channel.PHONE, received_at=now, summary=f"Opkald {n}", cpr=cpr)
        for n, cpr in enumerate([CPR_A, CPR_B, CPR_B, "010190-1234"])
    ] + [NewContact(channel=Channel.EMAIL, received_at=now, summary="Firma", cvr=CVR_A)]

    count = register_contacts_in_bulk(
        contacts=rows,
        registered_by=staff.frontline,
        registrar=get_scope(user=staff.frontline),
        now=now,
    )

    assert count == 5
    assert Party.objects.count() == 3
    assert Contact.objects.filter(party=existing).count() == 3
    assert Thread.objects.count() == 6
