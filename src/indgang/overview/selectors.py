"""The citizen/company 360: one party across all departments, every read logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import or_
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.audit.selectors import lookups_since, read_access_log
from indgang.audit.services import log_access, log_reads
from indgang.cases.models import Case
from indgang.cases.selectors import list_party_cases_for, party_case_roles_in, party_cases_in
from indgang.common.compiled import loaded, rows_of
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import (
    is_redacted,
    list_contacts_for,
    party_contacts_in,
    party_contacts_registered_by,
    party_threads_in,
    visible_contacts,
    with_api_fields,
)
from indgang.deadlines.selectors import deadlines_on
from indgang.organisation.selectors import Scope
from indgang.parties.constants import Match
from indgang.parties.models import Party
from indgang.parties.selectors import (
    MATCH,
    SEARCH_LIMIT,
    get_party,
    parse_party_query,
    parties_by_phone,
    phone_digits_enough,
    search_parties,
)

# The newest contacts the 360 shows (a screenful, grouped in threads); the contact register pages
# through all of a party's contacts (`?party=`).
OVERVIEW_CONTACT_LIMIT = 50
# The newest cases the 360 shows, as applicant or in another role (adviser, neighbour ...).
OVERVIEW_CASE_LIMIT = 50


# A look-up by exact CPR or CVR lets its user open that party's 360 for this long afterwards.
LOOKUP_REASON = dt.timedelta(hours=1)


def records_in_departments(
    *, party_id: int | OuterRef, department_ids: frozenset[int]
) -> list[QuerySet[Any]]:
    """What shows that these departments have dealt with the party: each queryset finds such
    records. Bookings add theirs here, and every check below follows.

    `party_id` may be `OuterRef("pk")`, to check many parties in one query: the deadlines'
    subjects are a subquery deeper, so they refer one level further out.
    """
    if not department_ids:
        return []
    # Filters on party_id take an OuterRef as they take an id.
    subject_party = cast(int, OuterRef(party_id) if isinstance(party_id, OuterRef) else party_id)
    party_id = cast(int, party_id)
    return [
        party_contacts_in(party_id=party_id, department_ids=department_ids),
        party_threads_in(party_id=party_id, department_ids=department_ids),
        deadlines_on(
            subjects={
                Contact: Contact.objects.filter(party_id=subject_party).values("pk"),
                Thread: Thread.objects.filter(party_id=subject_party).values("pk"),
            },
            department_ids=department_ids,
        ),
        party_cases_in(party_id=party_id, department_ids=department_ids),
        party_case_roles_in(party_id=party_id, department_ids=department_ids),
    ]


def has_dealt_with(*, scope: Scope, party_id: int) -> bool:
    """Whether the scope's departments have dealt with the party (administrators: every one)."""
    if scope.sees_all:
        return True
    return _any_exists(
        party_id, records_in_departments(party_id=party_id, department_ids=scope.department_ids)
    )


def has_reason(*, user: User, scope: Scope, party_id: int, now: dt.datetime) -> bool:
    """Whether the user has a reason to read the party's 360: their departments have dealt
    with it, they registered one of its contacts, or they looked it up by exact CPR or CVR
    within LOOKUP_REASON (that look-up is in the access log, with its purpose). One query."""
    if scope.sees_all:
        return True
    return _any_exists(party_id, _reasons(user=user, scope=scope, party_id=party_id, now=now))


def parties_with_reason(
    *, user: User, scope: Scope, party_ids: list[int], now: dt.datetime
) -> set[int]:
    """Those of the parties whose 360 the user has a reason to read (`has_reason`): one query
    for a page of search hits, whatever their number."""
    if scope.sees_all or not party_ids:
        return set(party_ids) if scope.sees_all else set()
    reasons = _reasons(user=user, scope=scope, party_id=OuterRef("pk"), now=now)
    condition = reduce(or_, (Q(Exists(reason)) for reason in reasons))
    return set(Party.objects.filter(condition, pk__in=party_ids).values_list("pk", flat=True))


def _reasons(
    *, user: User, scope: Scope, party_id: int | OuterRef, now: dt.datetime
) -> list[QuerySet[Any]]:
    records = records_in_departments(party_id=party_id, department_ids=scope.department_ids)
    party_id = cast(int, party_id)  # as in records_in_departments
    return [
        *records,
        party_contacts_registered_by(party_id=party_id, user_id=user.pk),
        lookups_since(user_id=user.pk, party_id=party_id, since=now - LOOKUP_REASON),
    ]


@dataclass(frozen=True)
class PartyHit:
    """A party a search found: why, and whether the reader may open its 360 (`has_reason`)."""

    party: Party
    match: Match
    may_open: bool
    # For a recognised caller: the newest contact the reader may see, its time and channel.
    last_contact_at: dt.datetime | None = None
    last_channel: str = ""


# A caller's number may be a household's: the front desk names a few, not a list.
CALLER_LIMIT = 3


def find_parties_for(
    *,
    user: User,
    scope: Scope,
    text: str,
    purpose: Purpose,
    via: Via,
    now: dt.datetime,
    limit: int = SEARCH_LIMIT,
) -> list[PartyHit]:
    """Parties matching what was typed, best first (`search_parties`), for any staff member;
    every party shown is logged with the purpose. A hit by full CPR or CVR number is a look-up
    (`looked_up`, which opens the 360 for LOOKUP_REASON, as the front desk's); the others are
    `found` and open the 360 only to readers with another reason.

    PermissionDenied for a user without a role; ValidationError (Danish) for a query too short
    or too long. At most four statements, however many hits.
    """
    _refuse_non_staff(scope)
    parties = list(search_parties(query=parse_party_query(text), limit=limit))
    looked_up = {party.pk for party in parties if getattr(party, MATCH) == Match.NUMBER}
    for party_id in looked_up:  # one at most: a number is unique
        log_access(
            user=user,
            party_id=party_id,
            action=AccessAction.LOOKED_UP,
            purpose=purpose,
            via=via,
            at=now,
        )
    log_reads(
        user=user,
        party_ids=[party.pk for party in parties if party.pk not in looked_up],
        action=AccessAction.FOUND,
        purpose=purpose,
        via=via,
        at=now,
    )
    opened = parties_with_reason(
        user=user, scope=scope, party_ids=[party.pk for party in parties], now=now
    )
    return [
        PartyHit(party=party, match=Match(getattr(party, MATCH)), may_open=party.pk in opened)
        for party in parties
    ]


def recognise_caller(*, user: User, scope: Scope, phone: str, now: dt.datetime) -> list[PartyHit]:
    """The parties with the caller's phone number, each with the newest contact the reader may
    see; logged as `recognised_caller` for handling the contact. None until the number has its
    eight digits. PermissionDenied for a user without a role."""
    _refuse_non_staff(scope)
    if not phone_digits_enough(phone):
        return []
    newest = (
        visible_contacts(scope=scope)
        .filter(party_id=OuterRef("pk"))
        .order_by("-received_at", "-pk")
    )
    parties = list(
        parties_by_phone(phone=phone, limit=CALLER_LIMIT).annotate(
            last_contact_at=Subquery(newest.values("received_at")[:1]),
            last_channel=Subquery(newest.values("channel")[:1]),
        )
    )
    log_reads(
        user=user,
        party_ids=[party.pk for party in parties],
        action=AccessAction.RECOGNISED_CALLER,
        purpose=Purpose.CONTACT,
        via=Via.UI,
        at=now,
    )
    opened = parties_with_reason(
        user=user, scope=scope, party_ids=[party.pk for party in parties], now=now
    )
    return [
        PartyHit(
            party=party,
            match=Match.CONTACT_DETAIL,
            may_open=party.pk in opened,
            last_contact_at=party.last_contact_at,
            last_channel=party.last_channel or "",
        )
        for party in parties
    ]


def _refuse_non_staff(scope: Scope) -> None:
    if not scope.is_staff:
        raise PermissionDenied(_("Only staff with a role may look up citizens and companies."))


def _any_exists(party_id: int, found: list[QuerySet[Any]]) -> bool:
    """Whether any of the querysets finds a row: one SELECT of EXISTS clauses."""
    if not found:
        return False
    condition = Q(Exists(found[0]))
    for more in found[1:]:
        condition |= Q(Exists(more))
    return Party.objects.filter(pk=party_id).filter(condition).exists()


def _shows_reason(*, user: User, scope: Scope, contact: Contact) -> bool:
    """Whether this contact, among those the 360 read, is itself a reason to see the party."""
    return scope.sees_in_full(contact.department_id) or contact.registered_by_id == user.pk


def read_access_log_for(
    *, user: User, scope: Scope, party_id: int, via: Via, now: dt.datetime
) -> tuple[Party, QuerySet[AccessLogEntry]]:
    """The party's access log, for managers of departments that have dealt with it and for
    administrators; the read is logged. PermissionDenied otherwise, Party.DoesNotExist for an
    unknown party."""
    if scope.may_read_access_log and not scope.sees_all:
        get_party(party_id=party_id)  # an unknown party (or id beyond any) is a 404, not a 403
        if not has_dealt_with(scope=scope, party_id=party_id):
            raise PermissionDenied(
                _("You may read the access log only of parties your departments have dealt with.")
            )
    return read_access_log(user=user, scope=scope, party_id=party_id, via=via, now=now)


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
    # The newest cases the scope sees with the party on them, each with its `party_role`.
    cases: list[Case]


def get_party_overview(
    *,
    user: User,
    scope: Scope,
    party_id: int,
    purpose: Purpose,
    via: Via,
    now: dt.datetime,
    for_api: bool = False,
) -> PartyOverview:
    """Return the party's threads, contacts and cases that the scope may see; log the read.

    `for_api` loads only what the API shows of each contact (no task, unit or party rows).
    Raises Party.DoesNotExist for an unknown party, and PermissionDenied when the user has no
    reason to see it (`has_reason`); a contact read here that is itself a reason spares that
    query, so the 360 of a party the reader deals with costs what it did.
    """
    party = get_party(party_id=party_id)
    if for_api:
        contacts = _api_contacts(scope=scope, party_id=party_id, limit=OVERVIEW_CONTACT_LIMIT + 1)
    else:
        visible = list_contacts_for(scope=scope, party_id=party_id)
        contacts = list(visible.select_related("thread")[: OVERVIEW_CONTACT_LIMIT + 1])
    cases = list_party_cases_for(scope=scope, party_id=party_id, limit=OVERVIEW_CASE_LIMIT)
    if not (
        scope.sees_all
        or any(_shows_reason(user=user, scope=scope, contact=c) for c in contacts)
        or cases  # a case the scope sees is one its departments handle
        or has_reason(user=user, scope=scope, party_id=party_id, now=now)
    ):
        raise PermissionDenied(
            _(
                "You have no reason to see this citizen or company: look them up by their "
                "full CPR or CVR number, with a purpose."
            )
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
        party_id=party.pk,
        action=AccessAction.VIEWED_OVERVIEW,
        purpose=purpose,
        via=via,
        at=now,
        detail=f"contacts={len(contacts)} threads={len(threads)} cases={len(cases)}",
    )
    return PartyOverview(
        party=party,
        threads=list(threads.values()),
        contact_count=len(contacts),
        channel_counts=channel_counts,
        truncated=truncated,
        cases=cases,
    )


def _api_contacts(*, scope: Scope, party_id: int, limit: int) -> list[Contact]:
    """The party's first `limit` contacts that the scope sees, each with its thread, as the
    API shows them: one query, compiled once per scope (common.compiled).

    The same objects `select_related("thread")` gives, made straight from the rows: a busy
    citizen's 360 has hundreds, and Django's model __init__ (per object, per field) was a third
    of the request. Every concrete field and the annotations are set, as from_db would.
    """
    selected, contact_names, thread_names = _api_layout()

    def build(party: int) -> QuerySet[Contact, tuple[Any, ...]]:
        visible = with_api_fields(list_contacts_for(scope=scope, party_id=party))
        return visible.values_list(*selected)[:limit]

    cut = len(contact_names)
    thread_cache = Contact._meta.get_field("thread")
    assert isinstance(thread_cache, models.ForeignKey)  # noqa: S101 - narrows the type
    threads: dict[int, Thread] = {}
    contacts, db = [], router.db_for_read(Contact)
    for row in rows_of(Contact, ("api-360", scope, limit), build, party_id):
        contact = loaded(Contact, contact_names, row[:cut], db)
        thread_id = row[cut]
        thread = threads.get(thread_id)
        if thread is None:
            thread = threads[thread_id] = loaded(Thread, thread_names, row[cut:], db)
        thread_cache.set_cached_value(contact, thread)
        contacts.append(contact)
    return contacts


@cache
def _api_layout() -> tuple[list[str], list[str], list[str]]:
    """What the API's 360 selects, and the contact's and the thread's attributes it fills."""
    contact_fields = [*Contact._meta.concrete_fields]
    thread_fields = [*Thread._meta.concrete_fields]
    annotations = list(with_api_fields(Contact.objects.all()).query.annotations)
    selected = [
        *(field.name for field in contact_fields),
        *annotations,
        *(f"thread__{field.name}" for field in thread_fields),
    ]
    contact_names = [*(field.attname for field in contact_fields), *annotations]
    return selected, contact_names, [field.attname for field in thread_fields]
