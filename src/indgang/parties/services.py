"""Writes: find or create citizens and companies by their identifiers."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connections

from indgang.common.rows import column, insert, insert_sql, values
from indgang.parties.constants import PartyKind
from indgang.parties.identifiers import cpr_digest, encrypt_cpr, mask_cpr
from indgang.parties.matching import phone_key, search_text
from indgang.parties.models import Party
from indgang.parties.selectors import find_party

BATCH = 500


def get_or_create_citizen(*, cpr: str, name: str = "") -> Party:
    """Return the citizen with this (cleaned) CPR number, creating them if new.

    A concurrent request may create the same citizen between the look-up and the insert: the
    insert then skips the clash (no error, so no savepoint in the caller's transaction) and the
    citizen it made is returned.
    """
    digest = cpr_digest(cpr)
    party = find_party(unique_field="cpr_digest", value=digest)
    if party is not None:
        return party
    party = _new_citizen(cpr=cpr, digest=digest, name=name)
    if insert(party, unless_taken="cpr_digest"):
        return party
    return Party.objects.get(cpr_digest=digest)


def get_or_create_company(*, cvr: str, name: str = "") -> Party:
    """Return the company with this (cleaned) CVR number, creating it if new."""
    party = find_party(unique_field="cvr", value=cvr)
    if party is not None:
        return party
    party = _new_company(cvr=cvr, name=name)
    if insert(party, unless_taken="cvr"):
        return party
    return Party.objects.get(cvr=cvr)


PARTY_STEP = "party"


def party_steps(
    *, cpr: str | None, cvr: str | None, party: Party | None, name: str, alias: str
) -> tuple[str, list[Any]]:
    """WITH steps (PostgreSQL) that end in PARTY_STEP, a row with the `id` of a contact's
    party, and their parameters: the citizen or company with this (cleaned) CPR or CVR number,
    created if new, else `party` (NULL for an anonymous contact).

    The steps find no row when a concurrent transaction created the same citizen or company
    after the statement began (its snapshot does not show the row that the INSERT met): a
    statement built on them then writes nothing, and running it again finds the party.
    """
    if cpr:
        digest = cpr_digest(cpr)
        new = _new_citizen(cpr=cpr, digest=digest, name=name)
        return _found_or_new_sql(alias, "cpr_digest"), [*values(new, alias), digest]
    if cvr:
        return _found_or_new_sql(alias, "cvr"), [
            *values(_new_company(cvr=cvr, name=name), alias),
            cvr,
        ]
    return _given_sql(alias), [party.pk if party is not None else None]


def _new_citizen(*, cpr: str, digest: str, name: str) -> Party:
    return _findable(
        Party(
            kind=PartyKind.CITIZEN,
            name=name,
            cpr_digest=digest,
            cpr_encrypted=encrypt_cpr(cpr),
            cpr_masked=mask_cpr(cpr),
        )
    )


def _new_company(*, cvr: str, name: str) -> Party:
    return _findable(Party(kind=PartyKind.COMPANY, name=name, cvr=cvr))


def _findable(party: Party) -> Party:
    """Set what the party is found by as one types, from the fields it folds."""
    party.search_text = search_text(
        name=party.name,
        address=party.address,
        email=party.email,
        phone=party.phone,
        cvr=party.cvr,
    )
    party.phone_key = phone_key(party.phone)
    return party


@cache
def _found_or_new_sql(alias: str, unique_field: str) -> str:
    quote = connections[alias].ops.quote_name
    pk, step = quote(Party._meta.pk.column), quote(PARTY_STEP)
    table, where = quote(Party._meta.db_table), quote(column(Party, unique_field))
    # The new row when the INSERT wrote one, else the existing one; the second SELECT only
    # runs when the first found nothing. Identifiers are quoted metadata; values parameters.
    return (
        f'"new_party" AS ({insert_sql(Party, alias, unless_taken=unique_field)}), '  # noqa: S608
        f'{step} AS ((SELECT {pk} FROM "new_party") UNION ALL '
        f"(SELECT {pk} FROM {table} WHERE {where} = %s) LIMIT 1)"
    )


@cache
def _given_sql(alias: str) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    pk = Party._meta.pk
    cast = f"CAST(%s AS {pk.db_type(connection)})"
    return f"{quote(PARTY_STEP)} AS (SELECT {cast} AS {quote(pk.column)})"


def get_or_create_citizens(*, cprs: set[str]) -> dict[str, Party]:
    """The citizens with these (cleaned) CPR numbers by number, creating the new ones in bulk."""
    by_digest = {cpr_digest(cpr): cpr for cpr in cprs}
    new = [_new_citizen(cpr=cpr, digest=digest, name="") for digest, cpr in by_digest.items()]
    Party.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return {
        by_digest[party.cpr_digest]: party
        for party in _in_batches("cpr_digest", list(by_digest))
        if party.cpr_digest
    }


def get_or_create_companies(*, cvrs: set[str]) -> dict[str, Party]:
    """The companies with these (cleaned) CVR numbers by number, creating the new ones in bulk."""
    new = [_new_company(cvr=cvr, name="") for cvr in cvrs]
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
    _findable(party).save(
        update_fields=["name", "email", "phone", "address", "search_text", "phone_key"]
    )
    return party
