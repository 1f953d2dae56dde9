"""Danish text analysis shared by search and triage: words, stems (Snowball)."""

from __future__ import annotations

import re
import threading
from functools import cache

import snowballstemmer

# One stemmer per thread: PyStemmer's objects are not thread-safe.
_LOCAL = threading.local()
WORD = re.compile(r"[0-9a-zæøåéü]+(?:[.-][0-9a-zæøåéü]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words; KLE numbers such as 02.34.02 stay whole."""
    return WORD.findall(text.lower())


@cache
def stem(word: str) -> str:
    """The Snowball stem; cached, as the same words recur in every text."""
    if not hasattr(_LOCAL, "stemmer"):
        _LOCAL.stemmer = snowballstemmer.stemmer("danish")
    return str(_LOCAL.stemmer.stemWord(word))


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]
