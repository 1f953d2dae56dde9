"""Writes to the access log. Called explicitly by every read of personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import models

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.common.rows import insert, insert_each
from indgang.common.subjects import subject_of


def log_reads(
    *,
    user: User,
    party_ids: Iterable[int | None],
    action: AccessAction,
    purpose: Purpose,
    via: Via,
    at: dt.datetime,
) -> None:
    """Log one read per distinct party among those shown, e.g. on a page of contacts."""
    insert_each(
        AccessLogEntry,
        each="party_id",
        keys=sorted({party_id for party_id in party_ids if party_id is not None}),
        at=at,
        user_id=user.pk,
        action=action,
        purpose=purpose,
        via=via,
    )


def log_access(
    *,
    user: User,
    party_id: int,
    action: AccessAction,
    purpose: Purpose,
    via: Via,
    at: dt.datetime,
    detail: str = "",
    subject: models.Model | None = None,
) -> AccessLogEntry:
    """Log one read of one party's data (the 360, a contact's detail), and of the subject read
    when it was one (a document's thread or case)."""
    entry = AccessLogEntry(
        at=at,
        user_id=user.pk,
        party_id=party_id,
        action=action,
        purpose=purpose,
        via=via,
        detail=detail,
        **(subject_of(subject) if subject is not None else {}),
    )
    insert(entry)  # composed once per model, without save()'s machinery: every 360 writes one
    return entry
