"""Demo seeding for triage: the demo contacts become routed history, then a first model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indgang.contacts.models import Contact
from indgang.triage.models import RoutingDecision
from indgang.triage.services import record_routings_in_bulk, train_model

Progress = Callable[[str], None]


def seed_triage(
    *,
    registrar: User,
    progress: Progress,
    now: dt.datetime,
    contacts: QuerySet[Contact] | None = None,
) -> None:
    """Record the demo contacts' tasks (of `contacts`, default all) as staff routings and train
    a model on them.

    Safe to run again: contacts already routed are skipped, and an unchanged history and
    catalogue store no new version.
    """
    unrouted = list(
        (Contact.objects.all() if contacts is None else contacts)
        .filter(task__isnull=False)
        .exclude(pk__in=RoutingDecision.objects.values("contact_id"))
        .select_related("party")
        .order_by("pk")
    )
    recorded = record_routings_in_bulk(contacts=unrouted, decided_by=registrar, now=now)
    version = train_model(now=now, full=recorded > 0)
    progress(
        _("Triage: %(recorded)d routings recorded, model %(version)s")
        % {"recorded": recorded, "version": f"v{version.pk}" if version else "-"}
    )
