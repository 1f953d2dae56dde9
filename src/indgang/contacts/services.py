"""Writes: register contacts from every channel, alone or in bulk; edit them, with history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils.translation import gettext as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import KleEntry, Task
from indgang.catalogue.selectors import retired_topic_refusal
from indgang.common.inputs import INVISIBLE, received_time_refusal
from indgang.common.rows import insert, insert_from, saved, values
from indgang.contacts.constants import (
    DANISH_TIME,
    MAX_DURATION_SECONDS,
    NOTE_MAX_LENGTH,
    SUBJECT_LENGTH,
    SUMMARY_MAX_LENGTH,
    ContactField,
    Direction,
    Outcome,
)
from indgang.contacts.models import Contact, ContactChange, ContactNote, Thread
from indgang.contacts.routing import request_triage
from indgang.contacts.selectors import PRIMARY_TOPIC, get_contact_in_full
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.services import start_deadline
from indgang.organisation.models import Unit
from indgang.organisation.selectors import Scope
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.services import (
    PARTY_STEP,
    get_or_create_citizen,
    get_or_create_citizens,
    get_or_create_companies,
    get_or_create_company,
    party_steps,
)


@dataclass(frozen=True)
class NewContact:
    """A contact as received, before it has a thread and a place in the register."""

    channel: Channel
    received_at: dt.datetime
    summary: str
    party: Party | None = None
    cpr: str | None = None
    cvr: str | None = None
    party_name: str = ""
    direction: Direction = Direction.INBOUND
    task: Task | None = None
    kle_topic: KleEntry | None = None
    unit: Unit | None = None
    outcome: Outcome | None = None
    thread: Thread | None = None
    duration_seconds: int | None = None
    waiting_seconds: int | None = None


def summary_refusal(summary: str) -> str | None:
    """Why a contact's summary is refused (empty, or longer than SUMMARY_MAX_LENGTH), or None."""
    if not summary.strip(INVISIBLE):
        return _("Write a short summary of the contact.")
    if len(summary) > SUMMARY_MAX_LENGTH:
        return _(
            "Keep the summary to at most %(most)s characters (it has %(length)s); "
            "add a longer text to the thread as a document."
        ) % {"most": SUMMARY_MAX_LENGTH, "length": len(summary)}
    return None


def validate_new_contact(contact: NewContact, *, now: dt.datetime) -> NewContact:
    """The contact with its CPR or CVR number cleaned (digits only); a ValidationError with a
    Danish message per field for rules beyond the format."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str | None] = {"cpr": None, "cvr": None}
    if refusal := received_time_refusal(contact.received_at, now=now):
        errors["received_at"] = refusal
    if contact.duration_seconds is not None and not (
        0 <= contact.duration_seconds <= MAX_DURATION_SECONDS
    ):
        errors["duration_seconds"] = _("A contact lasts from 0 to %(most)s seconds.") % {
            "most": MAX_DURATION_SECONDS
        }
    if contact.waiting_seconds is not None and not (
        0 <= contact.waiting_seconds <= MAX_DURATION_SECONDS
    ):
        errors["waiting_seconds"] = _("A wait lasts from 0 to %(most)s seconds.") % {
            "most": MAX_DURATION_SECONDS
        }
    if refusal := summary_refusal(contact.summary):
        errors["summary"] = refusal
    if contact.task is not None and not contact.task.is_active:
        errors["task"] = _("The task %(task)s is no longer in use.") % {"task": contact.task.title}
    if refusal := retired_topic_refusal(contact.kle_topic):
        errors["kle_topic"] = refusal
    for field, value, clean in (("cpr", contact.cpr, clean_cpr), ("cvr", contact.cvr, clean_cvr)):
        try:
            if value:
                cleaned[field] = clean(value)
        except InvalidIdentifierError as error:
            errors[field] = str(error)
    if contact.outcome == Outcome.FORWARDED and contact.unit is None:
        errors["unit"] = _("Choose the unit the contact is forwarded to.")
    if errors:
        raise ValidationError(errors)
    return replace(contact, cpr=cleaned["cpr"], cvr=cleaned["cvr"])


def _resolve_party(new: NewContact) -> Party | None:
    """The party of a validated contact (identifiers cleaned)."""
    if new.cpr:
        return get_or_create_citizen(cpr=new.cpr, name=new.party_name)
    if new.cvr:
        return get_or_create_company(cvr=new.cvr, name=new.party_name)
    return new.party


def register_contact(
    *, new: NewContact, registered_by: User, registrar: Scope, now: dt.datetime
) -> Contact:
    """Register one contact from any channel; start a thread unless it continues one.

    The party is given, or found or created by CPR or CVR in the same transaction, so a refused
    contact leaves no new party behind. Unless the contact is forwarded, the registering staff
    member handles it in their own unit. A contact without a task is triaged in the background
    once this commits.
    """
    new = validate_new_contact(new, now=now)
    alias = router.db_for_write(Contact)
    if (
        connections[alias].vendor == "postgresql"
        and new.thread is None
        and new.outcome != Outcome.CALLBACK_PROMISED
    ):
        # Most registrations write only a party, a thread and a contact: one statement.
        contact = _register_at_once(
            new, registered_by=registered_by, registrar=registrar, alias=alias
        )
    else:
        contact = _register_in_steps(new, registered_by=registered_by, registrar=registrar, now=now)
    if contact.awaiting_triage:
        request_triage()
    return contact


AT_ONCE_ATTEMPTS = 3  # the second finds a party that a concurrent registration created


def _register_at_once(
    new: NewContact, *, registered_by: User, registrar: Scope, alias: str
) -> Contact:
    """Write the party (if new), the thread and the contact in one statement (PostgreSQL)."""
    # The given party, if any; one found or created by number gets its id below.
    contact = _build(new, party=new.party, registered_by=registered_by, registrar=registrar)
    thread = Thread(**_thread_values(contact))
    steps, party_params = party_steps(
        cpr=new.cpr, cvr=new.cvr, party=new.party, name=new.party_name, alias=alias
    )
    sql = _at_once_sql(alias, steps)
    params = [
        *party_params,
        *values(thread, alias, skip=frozenset({"party"})),
        *values(contact, alias, skip=frozenset({"party", "thread"})),
    ]
    for _attempt in range(AT_ONCE_ATTEMPTS):
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            break
    else:
        raise RuntimeError("The party of the contact was neither found nor created.")
    contact_id, party_id, thread_id = row
    saved(thread, alias, thread_id)
    thread.party_id = contact.party_id = party_id
    contact.thread = thread
    saved(contact, alias, contact_id)
    return contact


@cache
def _at_once_sql(alias: str, party_steps: str) -> str:
    thread = insert_from(Thread, alias, source=PARTY_STEP, taken={"party": "id"})
    contact = insert_from(
        Contact, alias, source="thread", taken={"party": "party_id", "thread": "id"}
    )
    return f'WITH {party_steps}, "thread" AS ({thread}) {contact}'


@transaction.atomic
def _register_in_steps(
    new: NewContact, *, registered_by: User, registrar: Scope, now: dt.datetime
) -> Contact:
    party = _resolve_party(new)
    if new.thread is not None and new.thread.party_id != (party.pk if party else None):
        raise ValidationError({"thread": _("The thread belongs to another citizen or company.")})
    contact = _build(new, party=party, registered_by=registered_by, registrar=registrar)
    # Each API registration comes here on SQLite: the INSERTs are composed once (common.rows).
    if new.thread is None:
        thread = Thread(**_thread_values(contact))
        insert(thread)
        contact.thread = thread
    else:
        Thread.objects.filter(pk=new.thread.pk, last_contact_at__lt=contact.received_at).update(
            last_contact_at=contact.received_at
        )
    insert(contact)
    if contact.outcome == Outcome.CALLBACK_PROMISED:
        start_deadline(subject=contact, kind=DeadlineKind.CALLBACK, by=registered_by, now=now)
    return contact


@transaction.atomic
def register_contacts_in_bulk(
    *,
    contacts: Sequence[NewContact],
    registered_by: User,
    registrar: Scope,
    now: dt.datetime,
    batch_size: int = 1000,
) -> int:
    """Register many contacts (an import), each on a new thread; all or nothing.

    Every row is validated before the first is written, so one bad row stores nothing.
    """
    problems: list[str] = []
    validated: list[NewContact] = []
    for number, new in enumerate(contacts, start=1):
        try:
            validated.append(validate_new_contact(new, now=now))
        except ValidationError as error:
            problems += [
                _("Row %(row)d: %(problem)s") % {"row": number, "problem": message}
                for messages in error.message_dict.values()
                for message in messages
            ]
    if problems:
        raise ValidationError(problems)
    contacts = validated
    citizens = get_or_create_citizens(cprs={new.cpr for new in contacts if new.cpr})
    companies = get_or_create_companies(cvrs={new.cvr for new in contacts if new.cvr})
    for start in range(0, len(contacts), batch_size):
        batch = [
            _build(
                new,
                party=citizens[new.cpr]
                if new.cpr
                else companies[new.cvr]
                if new.cvr
                else new.party,
                registered_by=registered_by,
                registrar=registrar,
            )
            for new in contacts[start : start + batch_size]
        ]
        threads = Thread.objects.bulk_create([Thread(**_thread_values(c)) for c in batch])
        for contact, thread in zip(batch, threads, strict=True):
            contact.thread = thread
        Contact.objects.bulk_create(batch)
    if any(new.task is None for new in contacts):
        request_triage()
    return len(contacts)


def _build(
    new: NewContact, *, party: Party | None, registered_by: User, registrar: Scope
) -> Contact:
    handled_here = new.outcome != Outcome.FORWARDED
    unit_id: int | None = registrar.home_unit_id
    department_id: int | None = registrar.home_department_id
    if new.unit is not None:
        unit_id, department_id = new.unit.pk, new.unit.department_id
    kle_topic = new.kle_topic
    if kle_topic is None and new.task is not None:
        kle_topic = _primary_topic(new.task)
    contact = Contact(
        channel=new.channel,
        direction=new.direction,
        received_at=new.received_at,
        received_on=received_on(new.received_at),
        party=party,
        summary=new.summary.strip(),
        # A name given with a number names the party; without one, the contact keeps it.
        stated_name="" if party is not None or new.cpr or new.cvr else new.party_name.strip(),
        task=new.task,
        kle_topic=kle_topic,
        unit_id=unit_id,
        department_id=department_id,
        handled_by=registered_by if handled_here else None,
        registered_by_id=registered_by.pk,
        outcome=new.outcome or "",
        duration_seconds=new.duration_seconds,
        waiting_seconds=new.waiting_seconds,
        thread=new.thread,
        # Visitation picks it up in the background (triage.route_waiting).
        awaiting_triage=new.task is None,
    )
    if new.unit is not None:
        contact.unit = new.unit  # Keep the loaded unit: the response needs no query for it.
    return contact


def received_on(received_at: dt.datetime) -> dt.date:
    """The Danish day of a moment: the day a contact is counted on."""
    return received_at.astimezone(DANISH_TIME).date()


def _primary_topic(task: Task) -> KleEntry | None:
    """The task's KLE topic with the lowest number: a stable choice."""
    if PRIMARY_TOPIC in task.__dict__:  # found with the task by get_task_for_new_contact
        topic: KleEntry | None = task.__dict__[PRIMARY_TOPIC]
        return topic
    if "kle_topics" in getattr(task, "_prefetched_objects_cache", {}):
        # An import prefetches every task's topics once: no query per contact.
        topics = sorted(task.kle_topics.all(), key=lambda topic: topic.number)
        return topics[0] if topics else None
    # One contact: ask for just that topic, with the number the register shows.
    return task.kle_topics.order_by("number").only("id", "number", "retired_on").first()


def _thread_values(contact: Contact) -> dict[str, object]:
    return {
        "party": contact.party,
        "subject": contact.summary.splitlines()[0][:SUBJECT_LENGTH] if contact.summary else "",
        "department_id": contact.department_id,
        "created_at": contact.received_at,
        "last_contact_at": contact.received_at,
    }


# --- The contact page: edits with their history, internal notes --------------------------------


def tracked_values(contact: Contact) -> dict[ContactField, str]:
    """The contact's tracked fields as its history keeps them (see ContactChange)."""
    return {
        ContactField.SUMMARY: contact.summary,
        ContactField.CHANNEL: contact.channel,
        ContactField.OUTCOME: contact.outcome,
        ContactField.DURATION: (
            "" if contact.duration_seconds is None else str(contact.duration_seconds)
        ),
        ContactField.TASK: contact.task.title if contact.task_id and contact.task else "",
        ContactField.KLE_TOPIC: (
            contact.kle_topic.number if contact.kle_topic_id and contact.kle_topic else ""
        ),
        ContactField.UNIT: str(contact.unit) if contact.unit_id and contact.unit else "",
    }


def record_contact_changes(
    *, contact: Contact, before: dict[ContactField, str], by: User, now: dt.datetime
) -> list[ContactChange]:
    """Write one history row per tracked field whose value differs from `before`.

    Called by every staff change to a contact (edit_contact here, triage's routing), so the
    contact page shows one history whoever made the change.
    """
    after = tracked_values(contact)
    return ContactChange.objects.bulk_create(
        ContactChange(
            contact=contact,
            field=field,
            old_value=before[field],
            new_value=after[field],
            changed_at=now,
            changed_by=by,
        )
        for field in ContactField
        if before[field] != after[field]
    )


@dataclass(frozen=True)
class ContactEdit:
    """The new values of the fields an edit may change; an unchanged field keeps its value."""

    summary: str
    channel: str
    outcome: str
    duration_seconds: int | None


def edit_contact(
    *, contact_id: int, edit: ContactEdit, scope: Scope, by: User, now: dt.datetime
) -> list[ContactChange]:
    """Change a contact the scope sees in full; record each changed field in its history.

    A ValidationError with a Danish message per field for anything wrong; nothing is changed
    then. A contact that now promises a call-back gets its call-back clock, as at registration.
    The statistics' rollups follow the new values by their database triggers.
    """
    errors: dict[str, str] = {}
    summary = edit.summary.strip()
    if not summary.strip(INVISIBLE):
        errors["summary"] = _("Write a short summary of the contact.")
    elif len(summary) > SUMMARY_MAX_LENGTH:
        errors["summary"] = _("A summary is at most %(most)s characters.") % {
            "most": SUMMARY_MAX_LENGTH
        }
    if edit.channel not in Channel.values:
        errors["channel"] = _("Choose one of the channels.")
    if edit.outcome and edit.outcome not in Outcome.values:
        errors["outcome"] = _("Choose one of the outcomes.")
    if edit.duration_seconds is not None and not (
        0 <= edit.duration_seconds <= MAX_DURATION_SECONDS
    ):
        errors["duration_seconds"] = _("A contact lasts from 0 to %(most)s seconds.") % {
            "most": MAX_DURATION_SECONDS
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = _contact_to_change(scope=scope, contact_id=contact_id)
        before = tracked_values(contact)
        promises_callback = (
            edit.outcome == Outcome.CALLBACK_PROMISED
            and contact.outcome != Outcome.CALLBACK_PROMISED
        )
        contact.summary, contact.channel = summary, edit.channel
        contact.outcome, contact.duration_seconds = edit.outcome, edit.duration_seconds
        contact.save(update_fields=["summary", "channel", "outcome", "duration_seconds"])
        if promises_callback:
            start_deadline(subject=contact, kind=DeadlineKind.CALLBACK, by=by, now=now)
        return record_contact_changes(contact=contact, before=before, by=by, now=now)


def _contact_to_change(*, scope: Scope, contact_id: int) -> Contact:
    """The contact, locked until the transaction ends, if the scope sees it in full."""
    contact = get_contact_in_full(scope=scope, contact_id=contact_id)
    return (
        Contact.objects.select_for_update(of=("self",))
        .select_related("party", "task", "kle_topic", "unit__department")
        .get(pk=contact.pk)
    )


def add_contact_note(
    *, contact_id: int, text: str, scope: Scope, by: User, now: dt.datetime
) -> ContactNote:
    """Add an internal note to a contact the scope sees in full."""
    text = text.strip()
    if not text.strip(INVISIBLE):
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"text": _("A note is at most %(most)s characters.") % {"most": NOTE_MAX_LENGTH}}
        )
    contact = get_contact_in_full(scope=scope, contact_id=contact_id)
    return ContactNote.objects.create(contact=contact, text=text, written_at=now, written_by=by)
