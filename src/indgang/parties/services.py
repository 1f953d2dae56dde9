"""Writes: find or create citizens and companies by their identifiers."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from indgang.parties.constants import PartyKind
from indgang.parties.identifiers import cpr_digest, encrypt_cpr, mask_cpr
from indgang.parties.models import Party

BATCH = 500


def get_or_create_citizen(*, cpr: str, name: str = "") -> Party:
    """Return the citizen with this (cleaned) CPR number, creating them if new."""
    digest = cpr_digest(cpr)
    party = Party.objects.filter(cpr_digest=digest).first()
    if party is not None:
        return party
    try:
        with transaction.atomic():
            return Party.objects.create(
                kind=PartyKind.CITIZEN,
                name=name,
                cpr_digest=digest,
                cpr_encrypted=encrypt_cpr(cpr),
                cpr_masked=mask_cpr(cpr),
            )
    except IntegrityError:
        # A concurrent request created the same citizen first.
        return Party.objects.get(cpr_digest=digest)


def get_or_create_company(*, cvr: str, name: str = "") -> Party:
    """Return the company with this (cleaned) CVR number, creating it if new."""
    party = Party.objects.filter(cvr=cvr).first()
    if party is not None:
        return party
    try:
        with transaction.atomic():
            return Party.objects.create(kind=PartyKind.COMPANY, name=name, cvr=cvr)
    except IntegrityError:
        return Party.objects.get(cvr=cvr)


def get_or_create_citizens(*, cprs: set[str]) -> dict[str, Party]:
    """The citizens with these (cleaned) CPR numbers by number, creating the new ones in bulk."""
    by_digest = {cpr_digest(cpr): cpr for cpr in cprs}
    new = [
        Party(
            kind=PartyKind.CITIZEN,
            cpr_digest=digest,
            cpr_encrypted=encrypt_cpr(cpr),
            cpr_masked=mask_cpr(cpr),
        )
        for digest, cpr in by_digest.items()
    ]
    Party.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return {
        by_digest[party.cpr_digest]: party
        for party in _in_batches("cpr_digest", list(by_digest))
        if party.cpr_digest
    }


def get_or_create_companies(*, cvrs: set[str]) -> dict[str, Party]:
    """The companies with these (cleaned) CVR numbers by number, creating the new ones in bulk."""
    new = [Party(kind=PartyKind.COMPANY, cvr=cvr) for cvr in cvrs]
    Party.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return {party.cvr: party for party in _in_batches("cvr", list(cvrs)) if party.cvr}


def _in_batches(field: str, values: list[str]) -> list[Party]:
    # Stay under SQLite's limit on query parameters.
    return [
        party
        for start in range(0, len(values), BATCH)
        for party in Party.objects.filter(**{f"{field}__in": values[start : start + BATCH]})
    ]


def update_party(*, party: Party, name: str, email: str, phone: str, address: str) -> Party:
    party.name, party.email, party.phone, party.address = name, email, phone, address
    party.save(update_fields=["name", "email", "phone", "address"])
    return party
