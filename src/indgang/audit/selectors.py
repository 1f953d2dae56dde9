"""Reads of the access log; reading it is itself logged."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.audit.services import log_access
from indgang.organisation.selectors import Scope
from indgang.parties.models import Party


def read_access_log(
    *, user: User, scope: Scope, party_id: int, via: Via, now: dt.datetime
) -> tuple[Party, QuerySet[AccessLogEntry]]:
    """The party and who read its personal data, newest first; for managers and administrators.

    Raises PermissionDenied for other roles and Party.DoesNotExist for an unknown party.
    """
    if not scope.may_read_access_log:
        raise PermissionDenied(_("Only managers and administrators may read the access log."))
    party = Party.objects.get(pk=party_id)
    log_access(
        user=user,
        party_id=party.pk,
        action=AccessAction.VIEWED_ACCESS_LOG,
        purpose=Purpose.SUPERVISION,
        via=via,
        at=now,
    )
    return party, AccessLogEntry.objects.filter(party_id=party_id).select_related("user")


def lookups_since(*, user_id: int, party_id: int, since: dt.datetime) -> QuerySet[AccessLogEntry]:
    """The user's look-ups of the party by exact identifier since that instant (the index on
    party and time leads)."""
    return AccessLogEntry.objects.filter(
        party_id=party_id, at__gte=since, user_id=user_id, action=AccessAction.LOOKED_UP
    )
