from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indgang.search.analysis import (
    STOPWORDS,
    analyse,
    compound_splits,
    index_words,
    split_candidates,
    splitter,
    typo_candidates,
)

KNOWN = {"bygge", "tilladelse", "sygesikring", "kort", "carport"}


def is_known(word: str) -> bool:
    return word in KNOWN


def test_a_compound_splits_into_its_two_known_parts() -> None:
    assert compound_splits("byggetilladelse", is_known=is_known) == [("bygge", "tilladelse")]


def test_the_linking_s_is_dropped_when_splitting() -> None:
    assert compound_splits("sygesikringskort", is_known=is_known) == [("sygesikring", "kort")]


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
    assert text.parts == ["bygge", "tilladelse"]
    assert text.stems == "ansøg byggetillad carport"
    assert text.part_stems == "byg tillad"


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
def test_every_split_rebuilds_the_word_with_at_most_one_linking_letter(word: str) -> None:
    for left, right in split_candidates(word):
        assert word in {left + right, left + "s" + right, left + "e" + right}
        assert len(left) >= 3 and len(right) >= 4


def test_stop_list_is_postgresqls_danish_list() -> None:
    assert len(STOPWORDS) == 94
    assert {"og", "i", "til", "sådan"} <= STOPWORDS
