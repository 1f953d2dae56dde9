"""Writes to the access log. Called explicitly by every read of personal data."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.parties.models import Party


def log_access(
    *,
    user: User,
    party: Party,
    action: AccessAction,
    purpose: Purpose,
    via: Via,
    at: dt.datetime,
    detail: str = "",
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        at=at, user_id=user.pk, party=party, action=action, purpose=purpose, via=via, detail=detail
    )
