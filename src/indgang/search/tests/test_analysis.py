from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indgang.common.danish import stem as snowball_stem
from indgang.search.analysis import (
    STOPWORDS,
    analyse,
    compound_splits,
    index_words,
    known_in,
    split_candidates,
    splitter,
    stem,
    typo_candidates,
)
from indgang.search.word_forms import COMMON_WORD_FORMS, forms_apart

KNOWN = {"bygge", "tilladelse", "sygesikring", "kort", "carport", "rest", "skatter", "katter"}
is_known = known_in(KNOWN, {stem(word) for word in KNOWN})


def test_a_compound_splits_its_stem_into_two_known_parts() -> None:
    assert compound_splits("byggetilladelse", is_known=is_known) == [
        ("bygge", "tillad"),
        ("bygg", "tillad"),
    ]


def test_every_form_of_a_compound_splits_alike() -> None:
    assert compound_splits("byggetilladelserne", is_known=is_known) == compound_splits(
        "byggetilladelse", is_known=is_known
    )


def test_an_ending_is_never_read_as_a_part() -> None:
    known = known_in({"bolig", "igen", "regn", "ingen"}, {"bol", "igen", "regn", "ing"})
    assert compound_splits("boligen", is_known=known) == []
    assert compound_splits("regninger", is_known=known) == []


def test_the_linking_s_is_dropped_when_splitting() -> None:
    assert compound_splits("sygesikringskort", is_known=is_known) == [
        ("sygesikring", "kort"),
        ("sygesikrings", "kort"),
    ]


def test_an_s_that_starts_a_known_right_part_is_no_linking_s() -> None:
    assert compound_splits("restskatter", is_known=is_known) == [("rest", "skat")]


@pytest.mark.parametrize(
    "forms",
    [
        ("parkeringslicens", "parkeringslicenser", "parkeringslicensen"),
        ("legeplads", "legepladser", "legepladsen"),
        ("budget", "budgetter", "budgettet"),
        ("hjælpemiddel", "hjælpemidler", "hjælpemidlet"),
        ("barn", "børn", "barnet", "børnene"),
    ],
)
def test_singular_plural_and_definite_forms_have_one_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(form) for form in forms}) == 1, [stem(form) for form in forms]


def test_a_second_stemming_never_leaves_fewer_than_four_letters() -> None:
    assert (stem("indsigelse"), stem("inden"), stem("licens")) == ("inds", "ind", "lic")


def test_the_search_stem_meets_more_common_words_than_snowball() -> None:
    assert len(COMMON_WORD_FORMS) >= 50
    assert len(forms_apart(snowball_stem)) == 12
    assert forms_apart(stem) == []


def test_a_word_with_an_unknown_part_is_not_split() -> None:
    assert compound_splits("carportlys", is_known=is_known) == []


def test_stop_words_are_never_compound_parts() -> None:
    assert compound_splits("undervisning", is_known=lambda word: True)[0] != ("under", "visning")
    assert all(
        "under" not in pair for pair in compound_splits("undervisning", is_known=lambda w: True)
    )


def test_analysis_keeps_words_without_stop_words_and_adds_compound_parts() -> None:
    text = analyse("Ansøg om byggetilladelse til en carport", split=splitter(is_known=is_known))

    assert text.words == ["ansøg", "byggetilladelse", "carport"]
    assert text.parts == ["bygge", "tillad", "bygg"]
    assert text.stems == "ansøg byggetillad carport"
    assert text.part_stems == "byg tillad byg"


def test_kle_numbers_stay_whole() -> None:
    assert index_words("Emne 02.34.02 Byggetilladelse") == ["emne", "02.34.02", "byggetilladelse"]


def test_typo_candidates_hold_the_missing_and_the_swapped_letter() -> None:
    assert "byggetilladelse" in typo_candidates("byggetiladelse")
    assert "sygesikringskort" in typo_candidates("sygesikringkort")
    assert "aktindsigt" in typo_candidates("aktinsdigt")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=2, max_size=20), st.data())
def test_every_single_deletion_is_a_typo_candidate(word: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
    typo = word[:position] + word[position + 1 :]

    assert typo == word or word in typo_candidates(typo)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=7, max_size=25))
def test_every_split_rebuilds_the_stem_with_at_most_one_linking_letter(word: str) -> None:
    for left, right in split_candidates(word):
        assert stem(word) in {left + right, left + "s" + right, left + "e" + right}
        assert len(left) >= 3 and len(right) >= 4


def test_stop_list_is_postgresqls_danish_list() -> None:
    assert len(STOPWORDS) == 94
    assert {"og", "i", "til", "sådan"} <= STOPWORDS
