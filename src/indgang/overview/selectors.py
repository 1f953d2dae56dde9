"""The citizen/company 360: one party across all departments, every read logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_access
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import is_redacted, list_contacts_for
from indgang.organisation.selectors import Scope
from indgang.parties.models import Party

OVERVIEW_CONTACT_LIMIT = 200


@dataclass
class ThreadView:
    thread: Thread
    contacts: list[Contact] = field(default_factory=list)
    # The subject is the first contact's content: shown only if the reader sees some contact.
    subject_visible: bool = False


@dataclass(frozen=True)
class PartyOverview:
    party: Party
    threads: list[ThreadView]
    contact_count: int
    channel_counts: dict[str, int]
    truncated: bool


def get_party_overview(
    *,
    user: User,
    scope: Scope,
    party_id: int,
    purpose: Purpose,
    via: Via,
    now: dt.datetime,
) -> PartyOverview:
    """Return the party's threads and contacts that the scope may see, and log the read.

    Raises Party.DoesNotExist for an unknown party.
    """
    party = Party.objects.get(pk=party_id)
    contacts = list(
        list_contacts_for(scope=scope, party_id=party_id).select_related("thread")[
            : OVERVIEW_CONTACT_LIMIT + 1
        ]
    )
    truncated = len(contacts) > OVERVIEW_CONTACT_LIMIT
    contacts = contacts[:OVERVIEW_CONTACT_LIMIT]
    threads: dict[int, ThreadView] = {}
    channel_counts: dict[str, int] = {}
    for contact in contacts:
        view = threads.setdefault(contact.thread_id, ThreadView(thread=contact.thread))
        view.contacts.append(contact)
        view.subject_visible |= not is_redacted(scope=scope, contact=contact)
        channel_counts[contact.channel] = channel_counts.get(contact.channel, 0) + 1
    log_access(
        user=user,
        party=party,
        action=AccessAction.VIEWED_OVERVIEW,
        purpose=purpose,
        via=via,
        at=now,
        detail=f"contacts={len(contacts)} threads={len(threads)}",
    )
    return PartyOverview(
        party=party,
        threads=list(threads.values()),
        contact_count=len(contacts),
        channel_counts=channel_counts,
        truncated=truncated,
    )
