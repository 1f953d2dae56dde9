"""Measure triage on a file of texts with their KLE topics, and build such a file from KLE.

Nothing here writes to the database: an evaluation trains its models in memory.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _
from sklearn.feature_extraction.text import TfidfVectorizer

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, KleKeyword
from indgang.triage.constants import SUGGESTIONS, EvalLevel
from indgang.triage.learning import (
    ALL_FEATURES,
    Document,
    Example,
    Features,
    Predictor,
    Route,
    cold_start,
    content_words,
    kle_prefix,
    learn,
)
from indgang.triage.selectors import (
    ACCOUNT_CODE_WEIGHT,
    ALL_SOURCES,
    Sources,
    get_catalogue,
    guidance_lines,
    normalised,
)

HEADER = ["text", "kle"]
# The share of OS2KLE's terms `build-eval --from-keywords` holds out.
KEYWORD_SHARE = 0.2
# Guidance lines shorter than this say too little to be a contact's text ("Se også 02.34.03").
MIN_CONTENT_WORDS = 3
DEFAULT_SEED = 2026


# What `eval --without` can switch off: the cold-start documents' sources and the features.
PARTS = tuple(f.name for f in fields(Sources)) + Features._fields


def without(parts: Iterable[str]) -> tuple[Sources, Features]:
    """The sources and features of a model built without `parts` (names from PARTS)."""
    off = set(parts)
    return (
        Sources(**{f.name: f.name not in off for f in fields(Sources)}),
        Features(**{name: name not in off for name in Features._fields}),
    )


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


def build_keyword_rows(*, share: float = KEYWORD_SHARE, seed: int = DEFAULT_SEED) -> list[EvalRow]:
    """A seeded `share` of the imported OS2KLE terms on active topics, as rows: short real text
    from municipal systems. Evaluating on the file leaves these terms out of every model."""
    terms = sorted(
        KleKeyword.objects.filter(
            weight__lt=ACCOUNT_CODE_WEIGHT, topic__retired_on__isnull=True
        ).values_list("term", "topic__number")
    )
    rows = [EvalRow(text=term, kle=number) for term, number in terms if content_words(term)]
    random.Random(seed).shuffle(rows)  # noqa: S311 - a reproducible sample, not security
    return sorted(rows[: round(len(rows) * share)], key=lambda row: (row.kle, row.text))


@dataclass(frozen=True)
class Ranking:
    """One model's suggested KLE topics for each evaluated row, best first."""

    name: str
    numbers: list[list[str]]

    def result(self, rows: Sequence[EvalRow], level: EvalLevel) -> EvalResult:
        top1 = top3 = 0
        for row, numbers in zip(rows, self.numbers, strict=True):
            found = [kle_prefix(number, level) for number in numbers[:SUGGESTIONS]]
            wanted = kle_prefix(row.kle, level)
            top1 += bool(found) and found[0] == wanted
            top3 += wanted in found
        n = len(rows)
        return EvalResult(n=n, top1=top1 / n if n else 0.0, top3=top3 / n if n else 0.0)


def compare(
    *,
    rows: list[EvalRow],
    train_fraction: float | None = None,
    seed: int = DEFAULT_SEED,
    baseline: bool = True,
    sources: Sources = ALL_SOURCES,
    features: Features = ALL_FEATURES,
) -> tuple[list[EvalRow], list[Ranking]]:
    """The rows evaluated, and each model's ranking of them: with `baseline`, plain TF-IDF over
    the plan's titles and guidance and plain keyword match over OS2KLE's terms; then our model
    from a cold start and, with `train_fraction`, after learning that share of the rows.

    Every model is built without the file's rows (guidance lines and terms held out); with
    `train_fraction`, each also gets the training rows (the baselines as text of their topic).
    """
    exclude = frozenset(normalised(row.text) for row in rows)
    train, test = (
        split(rows, train_fraction=train_fraction, seed=seed) if train_fraction else ([], rows)
    )
    rankings = []
    if baseline:
        topics = list(
            KleEntry.objects.filter(level=KleLevel.TOPIC, retired_on__isnull=True)
            .order_by("number")
            .values_list("number", "title", "guidance")
        )
        rankings.append(_tfidf_ranking(topics, train, test, exclude))
        rankings.append(
            _keyword_ranking([number for number, *_rest in topics], train, test, exclude)
        )
    catalogue = get_catalogue(exclude=exclude, sources=sources)
    number_of = dict(
        KleEntry.objects.filter(
            pk__in={route.topic_id for route in catalogue.documents}
        ).values_list("pk", "number")
    )
    state = cold_start(catalogue.documents, active=catalogue.active, features=features)
    models = [(_("Indgang, cold start"), state)]
    if train_fraction:
        route_of: dict[str, Route] = {}
        for route in sorted(catalogue.documents, key=lambda r: (r.task_id == 0, r)):
            route_of.setdefault(number_of.get(route.topic_id, ""), route)
        history = [
            Example(route_of[row.kle], Document(row.text)) for row in train if row.kle in route_of
        ]
        models.append((_("Indgang, after learning"), learn(state, add=history)))
    for name, model in models:
        shown = Predictor(model).top_tasks(
            [Document(row.text) for row in test], tasks=SUGGESTIONS, routes=SUGGESTIONS * 10
        )
        rankings.append(
            Ranking(
                name, [[number_of.get(s.route.topic_id, "") for s in ranked] for ranked in shown]
            )
        )
    return test, rankings


def _tfidf_ranking(
    topics: list[tuple[str, str, str]],
    train: list[EvalRow],
    test: list[EvalRow],
    exclude: frozenset[str],
) -> Ranking:
    """Baseline (a): scikit-learn's TF-IDF over each active topic's title and guidance."""
    learned: dict[str, list[str]] = {}
    for row in train:
        learned.setdefault(row.kle, []).append(row.text)
    documents = [
        "\n".join(
            [title]
            + [line for line in guidance_lines(guidance) if normalised(line) not in exclude]
            + learned.get(number, [])
        )
        for number, title, guidance in topics
    ]
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform(documents)
    scores = (vectorizer.transform([row.text for row in test]) @ matrix.T).toarray()
    return Ranking(_("TF-IDF over the plan"), _top(scores, [number for number, *_r in topics]))


def _keyword_ranking(
    numbers: list[str], train: list[EvalRow], test: list[EvalRow], exclude: frozenset[str]
) -> Ranking:
    """Baseline (b): the topics whose OS2KLE terms (the training part) share the most words
    with the text; a word fewer topics have counts a little more, to break ties."""
    column = {number: i for i, number in enumerate(numbers)}
    topics_of: dict[str, set[int]] = {}
    keywords = KleKeyword.objects.filter(
        weight__lt=ACCOUNT_CODE_WEIGHT, topic__number__in=numbers
    ).values_list("topic__number", "term")
    learned = [(row.kle, row.text) for row in train if row.kle in column]
    for number, text in [*((n, t) for n, t in keywords if normalised(t) not in exclude), *learned]:
        for word in content_words(text):
            topics_of.setdefault(word, set()).add(column[number])
    scores = np.zeros((len(test), len(numbers)))
    for i, row in enumerate(test):
        for word in set(content_words(row.text)):
            found = list(topics_of.get(word, ()))
            scores[i, found] += 1.0 + 0.01 / math.log(1 + len(found)) if found else 0.0
    return Ranking(_("Keyword match over OS2KLE"), _top(scores, numbers))


def _top(scores: np.ndarray, numbers: list[str]) -> list[list[str]]:
    return [
        [numbers[i] for i in np.argsort(-row, kind="stable")[:SUGGESTIONS] if row[i] > 0]
        for row in scores
    ]


def table(rows: Sequence[EvalRow], rankings: Sequence[Ranking]) -> list[str]:
    """Top-1/top-3 of each model at the three KLE levels, a line each."""
    levels = (EvalLevel.TOPIC, EvalLevel.GROUP, EvalLevel.MAIN)
    lines = [f"{'':<32}" + "".join(f"{str(level.label):<22}" for level in levels)]
    lines.append(f"{'':<32}" + "top-1  top-3          " * len(levels))
    for ranking in rankings:
        results = [ranking.result(rows, level) for level in levels]
        lines.append(
            f"{ranking.name:<32}" + "".join(f"{r.top1:<7.3f}{r.top3:<15.3f}" for r in results)
        )
    return lines
