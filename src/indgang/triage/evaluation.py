"""Measure triage on a file of texts with their KLE topics, and build such a file from KLE.

Nothing here writes to the database: an evaluation trains its models in memory.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from indgang.catalogue.models import KleEntry
from indgang.triage.constants import SUGGESTIONS, EvalLevel
from indgang.triage.learning import (
    Document,
    Example,
    Predictor,
    Route,
    cold_start,
    content_words,
    kle_prefix,
    learn,
)
from indgang.triage.selectors import get_catalogue, guidance_lines, normalised

HEADER = ["text", "kle"]
# Guidance lines shorter than this say too little to be a contact's text ("Se også 02.34.03").
MIN_CONTENT_WORDS = 3
DEFAULT_SEED = 2026


class EvalFileError(ValueError):
    """The evaluation file cannot be read; the message is for the user."""


@dataclass(frozen=True)
class EvalRow:
    text: str
    kle: str


@dataclass(frozen=True)
class EvalResult:
    n: int
    top1: float
    top3: float

    def line(self) -> str:
        return f"n={self.n} top1={self.top1:.3f} top3={self.top3:.3f}"


def read_eval_file(path: Path) -> list[EvalRow]:
    """Rows of a UTF-8 CSV with the header `text,kle`."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or [cell.strip() for cell in header] != HEADER:
                raise EvalFileError(_("The first line must be the header text,kle."))
            rows = []
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(HEADER) or not cells[0].strip() or not cells[1].strip():
                    raise EvalFileError(
                        _("Line %(line)d must have a text and a KLE number.") % {"line": number}
                    )
                rows.append(EvalRow(text=cells[0].strip(), kle=cells[1].strip()))
    except FileNotFoundError as error:
        raise EvalFileError(_("The file %(path)s does not exist.") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise EvalFileError(_("The file is not UTF-8 text.")) from error
    if not rows:
        raise EvalFileError(_("The file has no rows to evaluate."))
    return rows


def split(
    rows: list[EvalRow], *, train_fraction: float, seed: int = DEFAULT_SEED
) -> tuple[list[EvalRow], list[EvalRow]]:
    """A seeded shuffle, then the first share to train on and the rest to evaluate."""
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)  # noqa: S311 - a reproducible split, not security
    cut = round(len(shuffled) * train_fraction)
    return shuffled[:cut], shuffled[cut:]


def evaluate(
    *,
    rows: list[EvalRow],
    level: EvalLevel = EvalLevel.TOPIC,
    train_fraction: float | None = None,
    seed: int = DEFAULT_SEED,
    learn_history: bool = True,
) -> EvalResult:
    """Top-1/top-3 of the suggested tasks' KLE topics against the file's, at `level`.

    The cold start is built from the catalogue and KLE with every guidance line that matches a
    row of the file held out. With `train_fraction`, that share of the rows is first learned as
    routed history (each to a task carrying its topic) and the rest is evaluated;
    `learn_history=False` evaluates the same rest with the cold start, the baseline to compare.
    """
    catalogue = get_catalogue(exclude=frozenset(normalised(row.text) for row in rows))
    state = cold_start(catalogue.documents, active=catalogue.active)
    number_of = dict(
        KleEntry.objects.filter(
            pk__in={route.topic_id for route in catalogue.documents}
        ).values_list("pk", "number")
    )
    test = rows
    if train_fraction is not None:
        train, test = split(rows, train_fraction=train_fraction, seed=seed)
        route_of: dict[str, Route] = {}
        for route in sorted(catalogue.documents):
            route_of.setdefault(number_of.get(route.topic_id, ""), route)
        history = [
            Example(route_of[row.kle], Document(row.text)) for row in train if row.kle in route_of
        ]
        state = learn(state, add=history if learn_history else [])
    if not test:
        return EvalResult(n=0, top1=0.0, top3=0.0)
    predictor = Predictor(state)
    top1 = top3 = 0
    shown = predictor.top_tasks(
        [Document(r.text) for r in test], tasks=SUGGESTIONS, routes=SUGGESTIONS * 10
    )
    for row, ranked in zip(test, shown, strict=True):
        found = [kle_prefix(number_of.get(s.route.topic_id, ""), level) for s in ranked]
        wanted = kle_prefix(row.kle, level)
        top1 += bool(found) and found[0] == wanted
        top3 += wanted in found
    return EvalResult(n=len(test), top1=top1 / len(test), top3=top3 / len(test))


def build_eval_rows(
    *, topics: Iterable[tuple[str, str]], covered: set[str] | None = None
) -> list[EvalRow]:
    """One row per guidance line (paragraph or list item) of each (number, guidance) topic.

    `covered`: only these topic numbers (those the catalogue's tasks carry); None for all.
    """
    rows = []
    for number, guidance in topics:
        if covered is not None and number not in covered:
            continue
        rows += [
            EvalRow(text=line, kle=number)
            for line in guidance_lines(guidance)
            if len(content_words(line)) >= MIN_CONTENT_WORDS
        ]
    return rows


def write_eval_file(path: Path, rows: Iterable[EvalRow]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([row.text, row.kle])
            count += 1
    return count
