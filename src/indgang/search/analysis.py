"""Danish query and document analysis for search: pure functions, no database.

Words are lower-cased and stemmed with Snowball (`indgang.common.danish`). Compound words are
split into two known parts (byggetilladelse → bygge + tilladelse, with the linking s or e
dropped: sygesikringskort → sygesikring + kort), so a search for either form finds the other.
A word missing from the vocabulary is corrected to a known word one edit away (a typo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from indgang.common.danish import stem, words

# PostgreSQL's `danish` text search configuration drops these (Snowball's Danish stop list,
# tsearch_data/danish.stop); SQLite drops the same, so both back ends match alike.
_STOP_LIST = """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om
    vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv
    her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end
    dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis din
    nogle hos blive mange ad bliver hendes været thi jer sådan
"""
STOPWORDS = frozenset(_STOP_LIST.split())
MIN_LEFT_PART = 3
MIN_RIGHT_PART = 4
LINKING_LETTERS = ("s", "e")  # fuge-s and fuge-e: sygesikring-s-kort, barn-e-seng
MAX_SPLITS = 2
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
MAX_TYPO_WORD_LENGTH = 30


def index_words(text: str) -> list[str]:
    """The words of a text that search indexes: lower-cased, without stop words."""
    return [word for word in words(text) if word not in STOPWORDS]


def split_candidates(word: str) -> list[tuple[str, str]]:
    """Every way to cut a word into a left and a right part, with and without a linking letter."""
    if not word.isalpha():
        return []
    pairs: list[tuple[str, str]] = []
    for cut in range(MIN_LEFT_PART, len(word) - MIN_RIGHT_PART + 1):
        left, right = word[:cut], word[cut:]
        pairs.append((left, right))
        if left[-1] in LINKING_LETTERS and len(left) > MIN_LEFT_PART:
            pairs.append((left[:-1], right))
    return pairs


def candidate_parts(word: str) -> set[str]:
    """All strings that could be a part of the word: what to look up in the vocabulary."""
    return {part for pair in split_candidates(word) for part in pair}


def compound_splits(word: str, *, is_known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The best splits of a word into two known words (longest shorter part first)."""
    found = [
        (left, right)
        for left, right in split_candidates(word)
        if left not in STOPWORDS and right not in STOPWORDS and is_known(left) and is_known(right)
    ]
    found.sort(key=lambda pair: (-min(len(pair[0]), len(pair[1])), pair))
    return found[:MAX_SPLITS]


def typo_candidates(word: str) -> set[str]:
    """Words one edit away (deletion, transposition, substitution, insertion)."""
    if not word.isalpha() or len(word) > MAX_TYPO_WORD_LENGTH:
        return set()
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in cuts if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in cuts if len(right) > 1}
    replaces = {left + letter + right[1:] for left, right in cuts if right for letter in ALPHABET}
    inserts = {left + letter + right for left, right in cuts for letter in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


@dataclass(frozen=True)
class AnalysedText:
    """A document field as indexed: its words, compound parts and Snowball stems."""

    words: list[str]
    parts: list[str]

    @property
    def stems(self) -> str:
        return " ".join(stem(word) for word in self.words)

    @property
    def part_stems(self) -> str:
        return " ".join(stem(part) for part in self.parts)


Splitter = Callable[[str], list[tuple[str, str]]]


def splitter(*, is_known: Callable[[str], bool]) -> Splitter:
    """`compound_splits` against one vocabulary, remembered per word (a rebuild meets the same
    words in thousands of documents)."""

    @cache
    def split(word: str) -> list[tuple[str, str]]:
        return compound_splits(word, is_known=is_known)

    return split


def analyse(text: str, *, split: Splitter) -> AnalysedText:
    """Split a text into indexed words and the parts of its compound words."""
    indexed = index_words(text)
    parts: list[str] = []
    for word in dict.fromkeys(indexed):
        for left, right in split(word):
            parts += [left, right]
    return AnalysedText(words=indexed, parts=list(dict.fromkeys(parts)))


@dataclass(frozen=True)
class TermGroup:
    """One query word: it matches if any alternative does (a word, or all parts of a split)."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]
    documents: int  # how many documents hold the word (its best alternative)


def known_in(vocabulary: set[str], stems: set[str]) -> Callable[[str], bool]:
    """A part is known if it is a word of the vocabulary or has the stem of one."""

    def is_known(part: str) -> bool:
        return part in vocabulary or stem(part) in stems

    return is_known


def query_words(text: str) -> list[str]:
    return list(dict.fromkeys(index_words(text)))


def all_query_lookups(text: str) -> set[str]:
    """Every word and part a query may need from the vocabulary."""
    needed: set[str] = set()
    for word in query_words(text):
        needed.add(word)
        needed |= candidate_parts(word)
    return needed


def vocabulary_parts(words_: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for word in words_:
        found |= candidate_parts(word)
    return found
