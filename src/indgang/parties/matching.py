"""How parties are matched as one types: text folded to plain words (pure functions).

Names, addresses and e-mail addresses are folded to lower-case ASCII words so that one index
serves both databases, whatever their collation: æ, ø and å become ae, oe and aa (the Danish
spellings without them, so "Søren" finds "Soeren" and "Århus" finds "Aarhus"), other accents
are dropped (é → e) and everything but letters and digits separates words.
"""

from __future__ import annotations

import re
import unicodedata

# Danish letters spelt the way Danes write them without the letters (Aarhus, Soeren).
DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
NOT_WORD = re.compile(r"[^a-z0-9]+")
# Danish numbers have eight digits; a leading 45 or 0045 is the country code.
PHONE_DIGITS = 8
COUNTRY_CODE = "45"


def fold(text: str) -> str:
    """The words of a text, folded and joined by single spaces."""
    lowered = unicodedata.normalize("NFKC", text).lower().translate(DANISH)
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    return " ".join(NOT_WORD.split(plain)).strip()


def phone_key(phone: str) -> str:
    """The number a phone is found by: its digits without the Danish country code."""
    digits = "".join(ch for ch in phone if ch.isascii() and ch.isdigit())
    if len(digits) > PHONE_DIGITS and digits.startswith("00" + COUNTRY_CODE):
        digits = digits[4:]
    elif len(digits) > PHONE_DIGITS and digits.startswith(COUNTRY_CODE):
        digits = digits[2:]
    return digits


def search_text(*, name: str, address: str, email: str, phone: str, cvr: str | None) -> str:
    """What a party is found by, as one folded text: the name first (so that a prefix of the
    name is a prefix of the text), then address, e-mail, phone and CVR number. It starts with
    a space, so that " word" finds the start of any word. Never a CPR number (ADR 0001)."""
    parts = [fold(name), fold(address), fold(email), phone_key(phone), cvr or ""]
    return " " + " ".join(part for part in parts if part)


def is_phone_like(query: str) -> bool:
    """Whether the query is a number as people write phones: digits, spaces, +, - and ()."""
    return any(ch.isdigit() for ch in query) and all(
        ch.isdigit() or ch in " +-()." for ch in query.strip()
    )
