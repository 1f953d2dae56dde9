"""Reads: find a party by exact identifier, or as one types by name, phone, e-mail, address or
number (`search_parties`); personal data reads are logged by the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Case, Field, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from indgang.common.compiled import loaded
from indgang.common.rows import column, fits_key
from indgang.parties.constants import Match
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr, cpr_digest
from indgang.parties.matching import PHONE_DIGITS, fold, is_phone_like, phone_key
from indgang.parties.models import Party

# How many parties one search shows: a screenful to pick from; a longer query narrows it.
SEARCH_LIMIT = 20
SEARCH_MIN_CHARACTERS = 2
SEARCH_MAX_CHARACTERS = 100
# The annotation search_parties puts on each party: its Match (a number: lower is better).
MATCH = "match"
# Sorts after every character of a folded text (letters, digits, space): a prefix's range ends
# at the prefix followed by it.
AFTER_FOLDED = "~"


def find_citizen(*, cpr: str) -> Party | None:
    """The citizen with exactly this cleaned CPR number; there is no partial CPR search."""
    return find_party(unique_field="cpr_digest", value=cpr_digest(cpr))


def find_company(*, cvr: str) -> Party | None:
    return find_party(unique_field="cvr", value=cvr)


def get_party(*, party_id: int) -> Party:
    """The party with this id, as find_party reads it; Party.DoesNotExist if there is none."""
    fits = fits_key(Party, router.db_for_read(Party), party_id)
    party = find_party(unique_field="id", value=party_id) if fits else None
    if party is None:
        raise Party.DoesNotExist(f"There is no party {party_id}.")
    return party


def find_party(*, unique_field: str, value: str | int) -> Party | None:
    """The party with this value of a unique field, or None: one plain SELECT.

    Every API registration by CPR, every look-up by CPR or CVR and every 360 start here, so
    the SQL is composed once and run directly (the ORM's QuerySet.get cost a 360 a tenth of
    its instructions).
    All columns but `created_at` are read (it loads on first use): they come back as plain
    text and numbers from both databases, so the ORM's type conversions are not needed.
    """
    alias = router.db_for_read(Party)
    with connections[alias].cursor() as cursor:
        cursor.execute(_find_sql(alias, unique_field), [value])
        row = cursor.fetchone()
    return None if row is None else loaded(Party, _read_attnames(), row, alias)


@cache
def _read_fields() -> list[Field[object, object]]:
    return [field for field in Party._meta.concrete_fields if field.name != "created_at"]


@cache
def _read_attnames() -> list[str]:
    return [field.attname for field in _read_fields()]


@cache
def _find_sql(alias: str, unique_field: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in _read_fields())
    table, where = quote(Party._meta.db_table), quote(column(Party, unique_field))
    # Identifiers come from the model's metadata, quoted; the value is a parameter.
    return f"SELECT {columns} FROM {table} WHERE {where} = %s"  # noqa: S608


@dataclass(frozen=True)
class PartyQuery:
    """A typed query, read once: its folded words and the exact keys it may be."""

    words: tuple[str, ...]
    cpr_digest: str | None = None
    cvr: str | None = None
    phone: str | None = None
    email: str | None = None


def parse_party_query(text: str) -> PartyQuery:
    """Read what was typed into the search; ValidationError with a Danish message if it is too
    short or too long to search by. A CPR number is kept only as its digest (ADR 0001)."""
    text = text.strip()
    if len(text) > SEARCH_MAX_CHARACTERS:
        raise ValidationError(
            _("Search with at most %(max)d characters.") % {"max": SEARCH_MAX_CHARACTERS},
            code="max_length",
        )
    if is_phone_like(text):
        # "12 34 56 78" and "010190-1234" are one number, not several words.
        digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
        words: tuple[str, ...] = (phone_key(digits),)
    else:
        digits, words = "", tuple(fold(text).split())
    if sum(len(word) for word in words) < SEARCH_MIN_CHARACTERS:
        raise ValidationError(
            _("Type at least %(min)d letters or digits.") % {"min": SEARCH_MIN_CHARACTERS},
            code="min_length",
        )
    cpr = _valid(clean_cpr, digits, length=10)
    return PartyQuery(
        words=words,
        cpr_digest=cpr_digest(cpr) if cpr else None,
        cvr=_valid(clean_cvr, digits, length=8),
        phone=words[0] if digits and phone_digits_enough(digits) else None,
        email=text.lower() if "@" in text else None,
    )


def _valid(clean: Callable[[str], str], digits: str, *, length: int) -> str | None:
    """These digits if they are a valid CPR or CVR number (as `clean` checks), else None."""
    if len(digits) != length:
        return None
    try:
        return clean(digits)
    except InvalidIdentifierError:
        return None


def search_parties(*, query: PartyQuery, limit: int = SEARCH_LIMIT) -> list[Party]:
    """Parties matching the query, best first, each with its MATCH set: the exact number (a
    full CPR or CVR), then the exact phone or e-mail, then names that start with the words,
    then parties with every word starting a word of their name, address, e-mail, phone or CVR.
    Within a kind, by folded name; a party is shown once, with its best match. An exact match
    ends the search.

    One SELECT per kind, at most three, each cut at the limit, so that a common name ("jens",
    thousands of parties) costs what a rare one does: the exact keys by their unique, phone
    and trigram indexes; a name's start as a range of the `search_text` index, in its order
    (byte by byte: collation "C" on PostgreSQL, SQLite's default); words anywhere by the
    trigram index, the first found (SQLite reads the table).
    """
    parties = Party.objects.defer("search_text", "cpr_encrypted")
    words = Q()
    for word in query.words:
        words &= Q(search_text__contains=f" {word}")
    kinds: list[QuerySet[Party]] = []
    exact = [
        (Q(**{field: value}), match)
        for field, value, match in (
            ("cpr_digest", query.cpr_digest, Match.NUMBER),
            ("cvr", query.cvr, Match.NUMBER),
            ("phone_key", query.phone, Match.CONTACT_DETAIL),
        )
        if value
    ]
    if query.email:  # its words lead to it through the trigram index
        exact.append((words & Q(email__iexact=query.email), Match.CONTACT_DETAIL))
    if exact:
        ranked = Case(
            *(When(condition, then=Value(match)) for condition, match in exact),
            output_field=IntegerField(),
        )
        kinds.append(
            parties.filter(reduce(or_, (condition for condition, _match in exact)))
            .annotate(**{MATCH: ranked})
            .order_by(MATCH, "search_text", "pk")
        )
    prefix = " " + " ".join(query.words)
    kinds.append(
        parties.filter(search_text__gte=prefix, search_text__lt=prefix + AFTER_FOLDED)
        .annotate(**{MATCH: Value(Match.NAME_PREFIX)})
        .order_by("search_text", "pk")
    )
    # Unordered: a common word ("jens") starts a word of thousands of parties, and sorting them
    # all for one page is what made a search slow; the name's start has already ranked those
    # whose names begin so. The page is sorted by name below.
    kinds.append(parties.filter(words).annotate(**{MATCH: Value(Match.CONTAINS)}).order_by())
    found: dict[int, Party] = {}
    with _planned_for_the_words(parties.db):
        for kind in kinds:
            # Enough to fill the page after the parties an earlier kind found again.
            new = [party for party in kind[: limit + len(found)] if party.pk not in found]
            found.update((party.pk, party) for party in sorted(new, key=_by_match_and_name))
            # A number, phone or e-mail address typed in full names its parties: words can
            # only find them again (a CPR number is not among them at all).
            if len(found) >= limit or (exact and found):
                break
    return list(found.values())[:limit]


@contextmanager
def _planned_for_the_words(alias: str) -> Iterator[None]:
    """On PostgreSQL, run the search's statements unprepared: planned for the words typed.

    psycopg prepares a statement from its second run (INDGANG_DB_PREPARED_STATEMENTS), and
    from a prepared statement's sixth run PostgreSQL may keep one generic plan for any
    parameters. For the words' LIKE patterns that plan reads the trigram index for every party
    with the words, as for a rare word: 70-80 ms for a street a sixth of a million parties live
    on, where the plan for the words typed reads the table until the page is full (under 1 ms).
    No statement more: psycopg's threshold is the client's, restored afterwards.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    client = connection.connection
    threshold = client.prepare_threshold
    client.prepare_threshold = None
    try:
        yield
    finally:
        client.prepare_threshold = threshold


def _by_match_and_name(party: Party) -> tuple[int, str, int]:
    return getattr(party, MATCH), fold(party.name), party.pk


def phone_digits_enough(phone: str) -> bool:
    """Whether a typed phone number is whole enough to look up: a Danish number's 8 digits."""
    return len(phone_key(phone)) >= PHONE_DIGITS


def parties_by_phone(*, phone: str, limit: int) -> QuerySet[Party]:
    """The parties with this phone number (a household may share one), by name."""
    return (
        Party.objects.filter(phone_key=phone_key(phone))
        .defer("search_text", "cpr_encrypted")
        .order_by("name", "pk")[:limit]
    )
