"""LIX against scores counted by hand: words / sentences + long words × 100 / words."""

from __future__ import annotations

import pytest

from indgang.letters.lix import lix


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # 10 words, 2 sentences, no word over six letters: 10/2 + 0.
        ("Jeg har en hund. Den er meget sød og glad.", 5.0),
        # 4 words, 1 sentence, all 4 long: 4/1 + 400/4.
        ("Kommunen behandler ansøgningen hurtigt.", 104.0),
        # 6 words, 2 sentences, "modtaget" and "ansøgning" long: 6/2 + 200/6 = 36.33.
        ("Vi har modtaget din ansøgning. Tak!", 36.3),
        # A line break ends a sentence (a greeting): 5 words, 2 sentences, none long.
        ("Kære Mette\nTak for brevet", 2.5),
        # Numbers are not words: 3 words, 1 sentence.
        ("Der er 40 dage.", 3.0),
        # A colon before a capital ends a sentence: 5 words, 2 sentences, "tegning" long.
        ("Send os dette: En tegning.", 22.5),
        # ...before a small letter it does not: 5 words, 1 sentence: 5 + 20.
        ("Send os dette: en tegning.", 25.0),
        # A date's period ends no sentence: "Svar senest marts", 3 words, none long.
        ("Svar senest 16. marts 2026.", 3.0),
        # Exactly six letters is not long: "sagen" 5, "skrive" 6; 3 words, 1 sentence.
        ("Skrive om sagen?", 3.0),
        ("", 0.0),
        ("12 34.", 0.0),
    ],
)
def test_lix_matches_the_hand_count(text: str, score: float) -> None:
    assert lix(text) == score
