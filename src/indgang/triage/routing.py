"""Triage's answer to contacts' routing registry (`contacts.routing`), registered in
TriageConfig.ready()."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from indgang.catalogue.models import Task
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit
from indgang.triage.services import record_routing
from indgang.triage.tasks import request_triage


class TriageRouting:
    def request_triage(self) -> None:
        request_triage()

    def reroute(
        self, *, contact: Contact, task: Task, unit: Unit | None, decided_by: User, now: dt.datetime
    ) -> None:
        record_routing(contact=contact, task=task, unit=unit, decided_by=decided_by, now=now)
