"""Reads: find a party by exact identifier only; personal data reads are logged by the caller."""

from __future__ import annotations

from django.db.models import QuerySet

from indgang.parties.identifiers import cpr_digest
from indgang.parties.models import Party


def find_citizen(*, cpr: str) -> Party | None:
    """The citizen with exactly this cleaned CPR number; there is no partial CPR search."""
    return Party.objects.filter(cpr_digest=cpr_digest(cpr)).first()


def find_company(*, cvr: str) -> Party | None:
    return Party.objects.filter(cvr=cvr).first()


def search_parties_by_name(*, text: str, limit: int = 20) -> QuerySet[Party]:
    return Party.objects.filter(name__icontains=text.strip()).order_by("name")[:limit]
