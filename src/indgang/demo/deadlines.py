"""Demo deadlines: call-backs mostly made, a few overdue; aktindsigt, complaints and a hearing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind, DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.deadlines.services import (
    complete_deadline,
    record_notice,
    start_deadline,
    suspend_deadline,
)
from indgang.journal.constants import DocumentDirection
from indgang.journal.services import upload_document

# Call-backs promised in the last days stay open; older ones were made (but a few were missed).
OPEN_CALLBACK_DAYS = 3
MISSED_CALLBACKS = 3


def load_deadlines_demo(*, now: dt.datetime, progress: Callable[[str], None]) -> None:
    """Add demo deadlines once (nothing happens if aktindsigt deadlines exist)."""
    if Deadline.objects.filter(kind=DeadlineKind.AKTINDSIGT).exists():
        return
    old_callbacks = list(
        Deadline.objects.filter(
            kind=DeadlineKind.CALLBACK,
            status=DeadlineStatus.OPEN,
            started_at__lt=now - dt.timedelta(days=OPEN_CALLBACK_DAYS),
        ).select_related("owner", "rule")
    )
    for deadline in old_callbacks[MISSED_CALLBACKS:]:
        assert deadline.owner is not None  # noqa: S101 - call-backs have the registering owner
        complete_deadline(
            deadline=deadline,
            by=deadline.owner,
            now=min(deadline.due_at, now),
        )
    caseworker = User.objects.filter(username="byg").first()
    contacts = list(
        Contact.objects.filter(department__abbreviation="BTF", party__isnull=False)
        .select_related("thread", "kle_topic", "handled_by")
        .order_by("-received_at")[:12]
    )
    if caseworker is None or not contacts:
        return
    for number, contact in enumerate(contacts):
        kind = [DeadlineKind.AKTINDSIGT, DeadlineKind.COMPLAINT, DeadlineKind.INQUIRY][number % 3]
        deadline = start_deadline(
            subject=contact,
            kind=kind,
            by=caseworker,
            owner=caseworker,
            now=contact.received_at,
            length=None if kind == DeadlineKind.AKTINDSIGT else 10 + number,
        )
        upload_document(
            subject=contact.thread,
            direction=DocumentDirection.RECEIVED,
            title=str(deadline.get_kind_display()),
            dated=contact.received_at.date(),
            by=caseworker,
            now=contact.received_at,
        )
        if number == 3 and deadline.due_at > now:
            suspend_deadline(
                deadline=deadline, by=caseworker, now=now, reason="Venter på tegninger fra borgeren"
            )
        if number == 6 and deadline.due_at > now:
            record_notice(
                deadline=deadline,
                reason="Anmodningen omfatter mange dokumenter fra flere forvaltninger",
                expected_at=deadline.due_at + dt.timedelta(days=14),
                by=caseworker,
                now=now,
            )
    progress(
        _("Deadlines: %(open)d open, %(overdue)d overdue")
        % {
            "open": Deadline.objects.filter(status=DeadlineStatus.OPEN).count(),
            "overdue": Deadline.objects.filter(status=DeadlineStatus.OPEN, due_at__lt=now).count(),
        }
    )
