"""Reads: the contact register through one permission path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connections, router
from django.db.models import F, QuerySet

from indgang.catalogue.models import KleEntry, Task
from indgang.common.caching import Rows, remembered_rows
from indgang.common.compiled import loaded
from indgang.common.rows import column as column_of
from indgang.common.rows import fits_key
from indgang.contacts.models import Contact, ContactChange, ContactNote, Thread
from indgang.organisation.selectors import Scope


def visible_contacts(*, scope: Scope) -> QuerySet[Contact]:
    """Every contact the scope may see at all; the front line sees all for routing."""
    contacts = Contact.objects.all()
    if not scope.routing_overview:
        contacts = contacts.filter(department_id__in=scope.department_ids)
    return contacts


# The contact list's sort keys (a leading "-" reverses one) and the column each orders by.
CONTACT_ORDERINGS: dict[str, str] = {
    "received": "received_at",
    "channel": "channel",
    "task": "task__title",
    "unit": "unit__name",
    "outcome": "outcome",
}
DEFAULT_CONTACT_ORDER = "-received"


def list_contacts_for(
    *,
    scope: Scope,
    party_id: int | None = None,
    channel: str | None = None,
    received_from: dt.datetime | None = None,
    received_to: dt.datetime | None = None,
    unit_id: int | None = None,
    task_id: int | None = None,
    outcome: str | None = None,
    text: str = "",
    order: str = DEFAULT_CONTACT_ORDER,
) -> QuerySet[Contact]:
    """The contacts the scope may see, narrowed by the filters given, in `order` (a key of
    CONTACT_ORDERINGS, "-" for descending). `text` searches the summaries the scope sees in
    full only: the front line's routing view of other departments would otherwise tell which
    of their contacts mention a word it may not read."""
    contacts = visible_contacts(scope=scope).select_related(
        "party", "task", "kle_topic", "unit__department", "handled_by"
    )
    if party_id is not None:
        contacts = contacts.filter(party_id=party_id)
    if channel:
        contacts = contacts.filter(channel=channel)
    if received_from:
        contacts = contacts.filter(received_at__gte=received_from)
    if received_to:
        contacts = contacts.filter(received_at__lt=received_to)
    if unit_id is not None:
        contacts = contacts.filter(unit_id=unit_id)
    if task_id is not None:
        contacts = contacts.filter(task_id=task_id)
    if outcome:
        contacts = contacts.filter(outcome=outcome)
    if text:
        if not scope.sees_all:
            contacts = contacts.filter(department_id__in=scope.department_ids)
        for word in text.split():
            contacts = contacts.filter(summary__icontains=word)
    return _ordered(contacts, order)


def _ordered(contacts: QuerySet[Contact], order: str) -> QuerySet[Contact]:
    """In `order`, the newest first among equals, so rows keep their place between pages."""
    key = order.removeprefix("-")
    if key not in CONTACT_ORDERINGS:
        key, order = "received", DEFAULT_CONTACT_ORDER
    descending = order.startswith("-")
    if key == "received":
        # As the register's indexes are ordered (read backwards when ascending).
        return contacts.order_by(
            *(("-received_at", "-pk") if descending else ("received_at", "pk"))
        )
    column = F(CONTACT_ORDERINGS[key])
    first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return contacts.order_by(first, "-received_at", "-pk")


# Annotations with_api_fields puts on each contact, in place of the related rows.
KLE_TOPIC_NUMBER = "kle_topic_number"
HANDLED_BY_USERNAME = "handled_by_username"


def with_api_fields(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Load only what the API shows of each contact: its own columns, with the KLE topic's
    number and the handler's user name annotated. The display joins of `list_contacts_for`
    are dropped: no party, task, unit, topic or user objects are made.
    """
    return contacts.select_related(None).annotate(
        **{
            KLE_TOPIC_NUMBER: F("kle_topic__number"),
            HANDLED_BY_USERNAME: F("handled_by__username"),
        }
    )


# What get_task_for_new_contact loads of the task and of its topic.
TASK_FIELDS = ("id", "title", "is_active")
TOPIC_FIELDS = ("id", "number")
# Set on a task by get_task_for_new_contact: its KLE topic with the lowest number, or None.
PRIMARY_TOPIC = "primary_kle_topic"


def get_task_for_new_contact(task_id: int) -> Task | None:
    """The task, with its primary KLE topic (the lowest number) set as PRIMARY_TOPIC, in one
    query; None if there is no such task.

    Every API registration that names a task comes here, so the SQL is composed once and run
    directly, and what it finds is remembered for API_CACHE_SECONDS (common.caching): a task
    retired meanwhile is refused within that time. The task has its id, title and `is_active`
    loaded, the topic its id and number; other fields load on first use.
    """
    alias = router.db_for_read(Task)
    if not fits_key(Task, alias, task_id):
        return None

    def load() -> Rows:
        with connections[alias].cursor() as cursor:
            cursor.execute(_task_sql(alias), [task_id])
            return [tuple(row) for row in cursor.fetchmany(1)]

    rows = remembered_rows("task-for-new-contact", str(task_id), load)
    if not rows:
        return None
    pk, title, is_active, topic_id, topic_number = rows[0]
    task = loaded(Task, TASK_FIELDS, (pk, title, bool(is_active)), alias)
    topic = None
    if topic_id is not None:
        topic = loaded(KleEntry, TOPIC_FIELDS, (topic_id, topic_number), alias)
    setattr(task, PRIMARY_TOPIC, topic)
    return task


@cache
def _task_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    link = Task.kle_topics.through._meta
    task, topic, through = (
        quote(Task._meta.db_table),
        quote(KleEntry._meta.db_table),
        quote(link.db_table),
    )

    def column(table: str, model: type[Task | KleEntry], name: str) -> str:
        return f"{table}.{quote(column_of(model, name))}"

    task_column = quote(column_of(link.model, "task"))
    topic_column = quote(column_of(link.model, "kleentry"))
    # Identifiers come from the models' metadata, quoted; the id is a parameter. A task with
    # topics has no NULL-topic row, so ordering by number needs no NULLS FIRST/LAST.
    return (
        f"SELECT {column(task, Task, 'id')}, {column(task, Task, 'title')}, "  # noqa: S608
        f"{column(task, Task, 'is_active')}, {column(topic, KleEntry, 'id')}, "
        f"{column(topic, KleEntry, 'number')} FROM {task} "
        f"LEFT OUTER JOIN {through} ON {through}.{task_column} = {column(task, Task, 'id')} "
        f"LEFT OUTER JOIN {topic} ON {column(topic, KleEntry, 'id')} = {through}.{topic_column} "
        f"WHERE {column(task, Task, 'id')} = %s "
        f"ORDER BY {column(topic, KleEntry, 'number')} LIMIT 1"
    )


def visible_threads(*, scope: Scope) -> QuerySet[Thread]:
    """The threads a new contact may join: those whose department the scope may see."""
    threads = Thread.objects.all()
    if not scope.routing_overview:
        threads = threads.filter(department_id__in=scope.department_ids)
    return threads


def recent_threads_for(*, scope: Scope, party_id: int, limit: int = 5) -> list[Thread]:
    """The party's threads a new contact may join, most recently active first."""
    threads = visible_threads(scope=scope).filter(party_id=party_id)
    return list(threads.order_by("-last_contact_at", "-pk")[:limit])


def is_redacted(*, scope: Scope, contact: Contact) -> bool:
    """Whether the scope sees this contact for routing only, without its content."""
    return not scope.sees_in_full(contact.department_id)


def is_thread_redacted(*, scope: Scope, thread: Thread) -> bool:
    """Whether the scope sees this thread without its subject (another department's)."""
    return not scope.sees_in_full(thread.department_id)


def party_contacts_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[Contact]:
    """The party's contacts in these departments (the index on party leads)."""
    return Contact.objects.filter(party_id=party_id, department_id__in=department_ids)


def party_threads_in(*, party_id: int, department_ids: frozenset[int]) -> QuerySet[Thread]:
    """The party's threads in these departments (the index on party leads)."""
    return Thread.objects.filter(party_id=party_id, department_id__in=department_ids)


def party_contacts_registered_by(*, party_id: int, user_id: int) -> QuerySet[Contact]:
    """The party's contacts this user registered, wherever they were forwarded to."""
    return Contact.objects.filter(party_id=party_id, registered_by_id=user_id)


def get_contact_in_full(*, scope: Scope, contact_id: int) -> Contact:
    """The contact, if the scope sees it in full: the front line routes other departments'
    contacts, but the promises and documents on them are kept there. Contact.DoesNotExist
    otherwise, as for a contact that does not exist."""
    contact = visible_contacts(scope=scope).select_related("party").get(pk=contact_id)
    if not scope.sees_in_full(contact.department_id):
        raise Contact.DoesNotExist
    return contact


def get_thread_in_full(*, scope: Scope, thread_id: int) -> Thread:
    """A thread in a department the scope sees in full; Thread.DoesNotExist otherwise."""
    threads = visible_threads(scope=scope)
    if not scope.sees_all:
        threads = threads.filter(department_id__in=scope.department_ids)
    return threads.select_related("party").get(pk=thread_id)


# A thread is a handful of contacts; a long-running one shows its newest this many.
THREAD_LIMIT = 100


@dataclass(frozen=True)
class ContactPage:
    """What the contact page shows of one contact, read through the contact rule.

    Where the reader sees the contact for routing only (`redacted`), its summary, party,
    history and notes are withheld, and so are those of the thread's other contacts.
    """

    contact: Contact
    redacted: bool
    thread: list[tuple[Contact, bool]]  # the thread's contacts the reader sees, oldest first
    changes: list[ContactChange]  # newest first
    notes: list[ContactNote]  # oldest first


def get_contact_page(*, scope: Scope, contact_id: int) -> ContactPage:
    """The contact and what surrounds it, if the scope may see it; Contact.DoesNotExist
    otherwise, as for a contact that does not exist. Five queries, whatever the thread's size.
    """
    contact = (
        visible_contacts(scope=scope)
        .select_related(
            "party",
            "task",
            "kle_topic",
            "unit__department",
            "handled_by",
            "registered_by",
            "thread",
        )
        .get(pk=contact_id)
    )
    redacted = is_redacted(scope=scope, contact=contact)
    around = visible_contacts(scope=scope).filter(thread_id=contact.thread_id)
    newest = list(
        around.select_related("task", "unit").order_by("-received_at", "-pk")[:THREAD_LIMIT]
    )
    thread = [(other, is_redacted(scope=scope, contact=other)) for other in reversed(newest)]
    if redacted:
        return ContactPage(contact=contact, redacted=True, thread=thread, changes=[], notes=[])
    return ContactPage(
        contact=contact,
        redacted=False,
        thread=thread,
        changes=list(contact.changes.select_related("changed_by")),
        notes=list(contact.notes.select_related("written_by")),
    )


def list_contact_changes(*, scope: Scope, contact_id: int) -> tuple[Contact, list[ContactChange]]:
    """A contact the scope sees in full and its history, newest first; Contact.DoesNotExist
    otherwise."""
    contact = get_contact_in_full(scope=scope, contact_id=contact_id)
    return contact, list(contact.changes.select_related("changed_by"))


def list_contact_notes(*, scope: Scope, contact_id: int) -> tuple[Contact, list[ContactNote]]:
    """A contact the scope sees in full and its internal notes, oldest first;
    Contact.DoesNotExist otherwise."""
    contact = get_contact_in_full(scope=scope, contact_id=contact_id)
    return contact, list(contact.notes.select_related("written_by"))
