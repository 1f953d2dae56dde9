"""Contacts and threads as subjects of deadlines, journal documents and access-log rows:
registered in ContactsConfig.ready(), answering through this app's selectors."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse

from indgang.common.subjects import SubjectFacts, SubjectView
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import (
    get_contact_in_full,
    get_thread_in_full,
    is_redacted,
    is_thread_redacted,
)
from indgang.organisation.selectors import Scope


class ContactSubject:
    def facts(self, subject: Contact) -> SubjectFacts:
        return SubjectFacts(
            department_id=subject.department_id,
            unit_id=subject.unit_id,
            task_id=subject.task_id,
            received_at=subject.received_at,
            handler=subject.handled_by if subject.handled_by_id else None,
            kle_topic=subject.kle_topic,
            party_id=subject.party_id,
            journalised=subject.thread,
        )

    def get_for(self, *, scope: Scope, pk: int) -> Contact:
        return get_contact_in_full(scope=scope, contact_id=pk)

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        return {
            contact.pk: SubjectView(
                label=contact.summary,
                url=reverse("contact-detail", kwargs={"contact_id": contact.pk}),
                party=contact.party,
                redacted=is_redacted(scope=scope, contact=contact),
            )
            for contact in Contact.objects.filter(pk__in=ids).select_related("party")
        }


class ThreadSubject:
    def facts(self, subject: Thread) -> SubjectFacts:
        return SubjectFacts(
            department_id=subject.department_id,
            unit_id=None,
            task_id=None,
            received_at=subject.created_at,
            handler=None,
            kle_topic=None,
            party_id=subject.party_id,
            journalised=subject,
        )

    def get_for(self, *, scope: Scope, pk: int) -> Thread:
        return get_thread_in_full(scope=scope, thread_id=pk)

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        return {
            thread.pk: SubjectView(
                label=thread.subject,
                url=reverse("thread-documents", kwargs={"thread_id": thread.pk}),
                party=thread.party,
                redacted=is_thread_redacted(scope=scope, thread=thread),
            )
            for thread in Thread.objects.filter(pk__in=ids).select_related("party")
        }
