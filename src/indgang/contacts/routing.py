"""Who routes contacts: the registry that triage fills in its AppConfig.ready().

Triage sits above contacts (it reads and moves contacts), yet contacts' own writes must route:
`register_contact` guarantees that a contact registered without a task is triaged, and the API's
PATCH of a contact re-routes it in the same transaction as the edit. They call the functions
below, which delegate to what triage registered, so contacts never imports triage.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from indgang.common.providers import Provider

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from indgang.catalogue.models import Task
    from indgang.contacts.models import Contact
    from indgang.organisation.models import Unit


class Routing(Protocol):
    def request_triage(self) -> None:
        """Route the contacts waiting without a task, after the current transaction commits."""
        ...

    def reroute(
        self, *, contact: Contact, task: Task, unit: Unit | None, decided_by: User, now: dt.datetime
    ) -> None:
        """Staff route the contact to a task (and unit): it moves, its history shows the
        change, and the routing is kept as a labelled example. ValidationError if refused."""
        ...


# Without it contacts registered without a task would wait for ever.
_routing = Provider[Routing](
    missing="No app routes contacts: add indgang.triage to INSTALLED_APPS."
)


def register_routing(routing: Routing) -> None:
    """Make `routing` the one that contacts' writes call (triage's AppConfig.ready())."""
    _routing.provide(routing)


def request_triage() -> None:
    """Triage the contacts waiting without a task, once the current transaction commits."""
    _routing.get().request_triage()


def reroute(
    *, contact: Contact, task: Task, unit: Unit | None, decided_by: User, now: dt.datetime
) -> None:
    """Route the contact to another task (and unit) by staff decision; see Routing.reroute."""
    _routing.get().reroute(contact=contact, task=task, unit=unit, decided_by=decided_by, now=now)
