"""Finding a party as one types: folding, ranking and the exact keys (parties.selectors)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from indgang.conftest import CPR_A, CPR_B, CVR_A
from indgang.parties.constants import Match
from indgang.parties.matching import fold, phone_key, search_text
from indgang.parties.models import Party
from indgang.parties.selectors import MATCH, parse_party_query, search_parties
from indgang.parties.services import (
    get_or_create_citizen,
    get_or_create_citizens,
    get_or_create_company,
    update_party,
)


def test_fold_spells_danish_letters_out_and_drops_accents_case_and_punctuation() -> None:
    assert fold("Søren Ærø-Åkjær, Café  Müller") == "soeren aeroe aakjaer cafe muller"
    assert fold("JENS.1234@Example.DK") == "jens 1234 example dk"


def test_phone_key_drops_the_danish_country_code_and_spacing() -> None:
    assert phone_key("+45 12 34 56 78") == "12345678"
    assert phone_key("0045-12345678") == "12345678"
    assert phone_key("12 34 56 78") == "12345678"
    assert phone_key("4512") == "4512"


def test_search_text_holds_name_first_and_never_the_cpr_number() -> None:
    text = search_text(
        name="Åse Ørsted",
        address="Nørrebrogade 12, 2200 København N",
        email="aase@example.dk",
        phone="+45 23 45 67 89",
        cvr=None,
    )
    assert text == (" aase oersted noerrebrogade 12 2200 koebenhavn n aase example dk 23456789")


def _citizen(cpr: str, name: str, phone: str = "", email: str = "", address: str = "") -> Party:
    party = get_or_create_citizen(cpr=cpr, name=name)
    return update_party(party=party, name=name, email=email, phone=phone, address=address)


@pytest.fixture
def people(db: None) -> dict[str, Party]:
    return {
        "soeren": _citizen(
            CPR_A, "Søren Hansen", phone="+45 12 34 56 78", address="Åboulevard 3, Aarhus"
        ),
        "hans": _citizen(CPR_B, "Hans Jensen", email="hj@example.dk", address="Søndergade 1"),
        "company": get_or_create_company(cvr=CVR_A, name="Hansens Is ApS"),
    }


def _found(text: str) -> list[tuple[str, int]]:
    return [
        (party.name, getattr(party, MATCH))
        for party in search_parties(query=parse_party_query(text))
    ]


def test_a_name_prefix_ranks_before_a_word_inside_and_danish_letters_fold(
    people: dict[str, Party],
) -> None:
    assert _found("hans") == [
        ("Hans Jensen", Match.NAME_PREFIX),
        ("Hansens Is ApS", Match.NAME_PREFIX),
        ("Søren Hansen", Match.CONTAINS),
    ]
    assert _found("SOEREN han") == [("Søren Hansen", Match.NAME_PREFIX)]
    assert _found("sør") == [("Søren Hansen", Match.NAME_PREFIX)]
    # Words match the start of any word: the address here, in either order; not a word's middle.
    assert _found("århus") == [("Søren Hansen", Match.CONTAINS)]
    assert _found("aarhus søren") == [("Søren Hansen", Match.CONTAINS)]
    assert _found("ansen") == []


def test_the_exact_number_phone_and_e_mail_rank_first(people: dict[str, Party]) -> None:
    assert _found(CPR_A) == [("Søren Hansen", Match.NUMBER)]
    assert _found("010190-1234") == [("Søren Hansen", Match.NUMBER)]
    assert _found(CVR_A) == [("Hansens Is ApS", Match.NUMBER)]
    assert _found("+45 12 34 56 78") == [("Søren Hansen", Match.CONTACT_DETAIL)]
    assert _found("HJ@example.dk") == [("Hans Jensen", Match.CONTACT_DETAIL)]
    # The start of a phone or CVR number finds it among the words; a CPR never (ADR 0001).
    assert _found("1234") == [("Søren Hansen", Match.CONTAINS)]
    assert _found("1358") == [("Hansens Is ApS", Match.CONTAINS)]
    assert _found("010190") == []


def test_a_search_is_one_statement_per_kind_of_match_whatever_it_finds(
    people: dict[str, Party], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    get_or_create_citizens(cprs={"0202021234", "0303031234"})
    # The exact keys, then names' starts, then words anywhere, while the page is not full; an
    # exact match ends the search.
    with django_assert_num_queries(1):
        assert len(search_parties(query=parse_party_query(CPR_A))) == 1
    with django_assert_num_queries(3):
        assert search_parties(query=parse_party_query("87654321")) == []
    # Two names start with "hans": the page of two is full before words anywhere are read.
    with django_assert_num_queries(1):
        assert len(search_parties(query=parse_party_query("hans"), limit=2)) == 2


def test_the_search_is_planned_for_the_words_typed_however_often_it_runs(
    people: dict[str, Party],
) -> None:
    """On PostgreSQL a statement run twice is prepared, and a prepared one may get a generic
    plan from its sixth run: the search's statements never are (on SQLite none is)."""
    for _run in range(7):
        assert _found("aaboulevard 3") == [("Søren Hansen", Match.CONTAINS)]
    assert not [sql for sql in _prepared_statements() if "parties_party" in sql]
    # Other statements are still prepared as before.
    for _run in range(3):
        Party.objects.filter(pk=people["hans"].pk).exists()
    assert connection.vendor != "postgresql" or _prepared_statements()


def _prepared_statements() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "Skriv mindst 2 bogstaver eller cifre."),
        (" - ", "Skriv mindst 2 bogstaver eller cifre."),
        ("x" * 101, "Søg med højst 100 tegn."),
    ],
)
def test_a_query_too_short_or_too_long_is_refused_in_danish(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_party_query(text)
    assert refused.value.messages == [message]


def test_parties_created_in_bulk_and_renamed_are_found_by_their_new_name(db: None) -> None:
    citizens = get_or_create_citizens(cprs={CPR_A})
    assert _found("karen") == []
    update_party(party=citizens[CPR_A], name="Karen Ødegaard", email="", phone="", address="")
    assert _found("karen oede") == [("Karen Ødegaard", Match.NAME_PREFIX)]
