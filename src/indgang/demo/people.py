"""Invented people for the demo: valid but fictitious CPR numbers and common Danish names."""

from __future__ import annotations

import datetime as dt
import random

from stdnum.dk import cpr as stdnum_cpr

FIRST_NAMES = [
    "Anna",
    "Mads",
    "Sofie",
    "Peter",
    "Ida",
    "Jens",
    "Freja",
    "Mikkel",
    "Karen",
    "Ahmed",
    "Emma",
    "Lars",
    "Fatima",
    "Niels",
    "Maja",
]

LAST_NAMES = [
    "Hansen",
    "Nielsen",
    "Jensen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Yilmaz",
]


def fictitious_cpr(rng: random.Random) -> str:
    while True:
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 24000))
        candidate = f"{born:%d%m%y}{rng.randint(0, 9999):04d}"
        if stdnum_cpr.is_valid(candidate):
            return candidate


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
