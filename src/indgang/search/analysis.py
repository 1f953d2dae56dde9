"""Danish query and document analysis for search: pure functions, no database.

Words are lower-cased and stemmed with Snowball (`indgang.common.danish`), then normalised so that
singular, plural and definite forms meet (`stem`). Compound words are
split into two known parts (byggetilladelse → bygge + tilladelse, with the linking s or e
dropped: sygesikringskort → sygesikring + kort), so a search for either form finds the other.
A word missing from the vocabulary is corrected to a known word one edit away (a typo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from indgang.common import danish
from indgang.common.danish import words

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
# Stemming a stem again may only leave this many letters: shorter, unrelated words meet
# (indsigelse and inden both end as "ind").
MIN_RESTEM_LENGTH = 4
MIN_SYNCOPE_LENGTH = 5
VOWELS = "aeiouyæøå"
# Plurals no suffix rule reaches: a vowel change, or a word too short for Snowball to touch.
IRREGULAR_FORMS = {
    "børn": "barn",
    "børnene": "barn",
    "barnet": "barn",
    "træer": "træ",
    "træerne": "træ",
    "træet": "træ",
    "mænd": "mand",
    "mændene": "mand",
    "manden": "mand",
    "tænder": "tand",
    "tænderne": "tand",
    "tanden": "tand",
    "bøger": "bog",
    "bøgerne": "bog",
    "bogen": "bog",
    "hænder": "hånd",
    "hænderne": "hånd",
    "hånden": "hånd",
}


@cache
def stem(word: str) -> str:
    """The search stem: Snowball's, stemmed again while that changes it, and a dropped e
    before a final l; singular, plural and definite forms then meet.

    Snowball takes the longest ending it knows, so a singular in -s, -et or -en loses that
    ending (parkeringslicens → parkeringslic) while its plural loses only -er
    (parkeringslicenser → parkeringslicens); a second pass takes the rest. Danish drops the e
    of a final -el before an ending (hjælpemiddel, hjælpemidler), so the stem drops it too.
    """
    key = danish.stem(IRREGULAR_FORMS.get(word, word))
    while True:
        again = danish.stem(key)
        if again == key or len(again) < MIN_RESTEM_LENGTH:
            break
        key = again
    if len(key) >= MIN_SYNCOPE_LENGTH and key.endswith("el") and key[-3] not in VOWELS:
        head = key[:-2]
        key = (head[:-1] if head[-1] == head[-2] else head) + "l"
    return key


def index_words(text: str) -> list[str]:
    """The words of a text that search indexes: lower-cased, without stop words."""
    return [word for word in words(text) if word not in STOPWORDS]


def split_candidates(word: str) -> list[tuple[str, str]]:
    """Every way to cut a word's stem into a left and a right part, with and without a linking
    letter.

    The stem, not the word: every form of a word then splits alike, and an ending is never
    read as a word (boligen is not bol + igen, regninger not regn + inger).
    """
    if not word.isalpha():
        return []
    word = stem(word)
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
    """The best splits of a word into two known words (longest shorter part first).

    An s or e that may start the right part is no linking letter when the right part with it is
    a known word: restskatter is rest + skatter, not rests + katter.
    """
    found = [
        (left, right)
        for left, right in split_candidates(word)
        if left not in STOPWORDS and right not in STOPWORDS and is_known(left) and is_known(right)
    ]
    led = [(left, right) for left, right in found if right[0] in LINKING_LETTERS]
    misread = {(left + right[0], right[1:]) for left, right in led}
    misread |= {(left, right[1:]) for left, right in led}
    found = [pair for pair in found if pair not in misread]
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
