"""LIX, the Swedish readability index Danish authorities use for plain language (Björnsson 1968).

LIX = words / sentences + long words × 100 / words, where a long word has more than six
letters. Below 30 is easy reading, 40 is an ordinary newspaper, above 50 is hard.
"""

from __future__ import annotations

import re

LONG_WORD_LETTERS = 6
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# A sentence ends at . ! ? or : before the end or a capital letter, or at a line break; so the
# period of a Danish date ("16. marts") or an abbreviation ("f.eks. at") ends none.
SENTENCE_END = re.compile(r"[.!?:]+(?:\s*$|\s+(?=[A-ZÆØÅÄÖÉÜ]))|\n")


def lix(text: str) -> float:
    """The LIX score of `text`, rounded to one decimal; 0 for a text without words."""
    words = WORD.findall(text)
    if not words:
        return 0.0
    sentences = [part for part in SENTENCE_END.split(text) if WORD.search(part)]
    long_words = sum(1 for word in words if len(word.replace("-", "")) > LONG_WORD_LETTERS)
    return round(len(words) / len(sentences) + long_words * 100 / len(words), 1)
