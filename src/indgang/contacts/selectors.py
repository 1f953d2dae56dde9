"""Reads: the contact register through one permission path."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from indgang.contacts.models import Contact, Thread
from indgang.organisation.selectors import Scope


def visible_contacts(*, scope: Scope) -> QuerySet[Contact]:
    """Every contact the scope may see at all; the front line sees all for routing."""
    contacts = Contact.objects.all()
    if not scope.routing_overview:
        contacts = contacts.filter(department_id__in=scope.department_ids)
    return contacts


def list_contacts_for(
    *,
    scope: Scope,
    party_id: int | None = None,
    channel: str | None = None,
    received_from: dt.datetime | None = None,
    received_to: dt.datetime | None = None,
) -> QuerySet[Contact]:
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
    return contacts.order_by("-received_at", "-pk")


def visible_threads(*, scope: Scope) -> QuerySet[Thread]:
    """The threads a new contact may join: those whose department the scope may see."""
    threads = Thread.objects.all()
    if not scope.routing_overview:
        threads = threads.filter(department_id__in=scope.department_ids)
    return threads


def is_redacted(*, scope: Scope, contact: Contact) -> bool:
    """Whether the scope sees this contact for routing only, without its content."""
    return not scope.sees_in_full(contact.department_id)
