"""Reads: one ranked Danish search over articles, tasks and KLE entries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from django.db import connection
from django.db.models import Q, Sum

from indgang.knowledge.models import Guide
from indgang.search.analysis import (
    TermGroup,
    candidate_parts,
    compound_splits,
    known_in,
    query_words,
    stem,
    typo_candidates,
)
from indgang.search.constants import (
    COMMON_WORD_MIN_DOCUMENTS,
    COMMON_WORD_SHARE,
    DEFAULT_LIMIT,
    KIND_BOOST,
    MAX_QUERY_WORDS,
    DocumentKind,
    SearchAudience,
)
from indgang.search.models import SearchIndexSize, SearchTerm

SNIPPET_LENGTH = 240
KLE_GROUP_NUMBER_LENGTH = len("02.34")
# bm25's column weights on both back ends: title, title parts, OS2KLE terms, text, text parts.
# The terms rank above the text (names of the thing, not words it happens to use) and below
# the title's parts.
COLUMN_WEIGHTS = {
    "stems_title": 10.0,
    "stems_title_extra": 5.0,
    "stems_terms": 1.5,
    "stems_body": 1.0,
    "stems_body_extra": 0.5,
}
# The same weights in the FTS5 table's column order (the five above, then audience).
FTS_WEIGHTS = ", ".join(str(weight) for weight in [*COLUMN_WEIGHTS.values(), 0.0])
# PostgreSQL's vectors label the columns A, B, C, D and D (it has four labels; the text's
# parts count as the text there).
PG_LABEL_WEIGHTS = {
    "A": COLUMN_WEIGHTS["stems_title"],
    "B": COLUMN_WEIGHTS["stems_title_extra"],
    "C": COLUMN_WEIGHTS["stems_terms"],
    "D": COLUMN_WEIGHTS["stems_body"],
}
# bm25's parameters, FTS5's: how fast repeats stop adding, and how much length counts.
BM25_K1 = 1.2
BM25_B = 0.75
# What "titles only" matches: a document's names (SQLite's columns; PostgreSQL's title_vector).
FTS_TITLE_COLUMNS = "stems_title stems_title_extra stems_terms"


@dataclass(frozen=True)
class SearchHit:
    kind: DocumentKind
    object_id: int
    title: str
    snippet: str
    score: float
    audience: SearchAudience
    guide_id: int | None = None
    # The other hits of a KLE group, folded under its best one (`_fold_kle_groups`).
    topics: tuple[SearchHit, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(DocumentKind(self.kind).label)

    @property
    def kle_group(self) -> str | None:
        """A KLE hit's group number (02.34 for 02.34, 02.34.00 and 02.34.02); a main group is
        its own."""
        if self.kind != DocumentKind.KLE:
            return None
        return self.title.split(maxsplit=1)[0][:KLE_GROUP_NUMBER_LENGTH]


@dataclass(frozen=True)
class QueryPlan:
    """What a query searches for: one group per word, and the corrections made."""

    groups: list[TermGroup]
    corrections: dict[str, str] = field(default_factory=dict)
    total_documents: int = 0
    average_length: float = 0.0
    # How many documents hold each stem of the groups' alternatives (bm25's rarity per word).
    documents_by_stem: dict[str, int] = field(default_factory=dict)


def plan_query(text: str) -> QueryPlan:
    """Turn the typed text into term groups: stems, compound splits and typo corrections."""
    words = query_words(text)[:MAX_QUERY_WORDS]
    if not words:
        return QueryPlan(groups=[])
    lookups: set[str] = set(words)
    for word in words:
        lookups |= candidate_parts(word)
    documents_by_stem = _documents_by_stem(lookups)
    is_known = known_in(set(), set(documents_by_stem))
    # A word that is neither known nor a compound of known words may be a typo.
    unknown = [
        word
        for word in words
        if not is_known(word) and not compound_splits(word, is_known=is_known)
    ]
    corrections = _correct(unknown)
    if corrections:
        documents_by_stem |= _documents_by_stem(set(corrections.values()))
        is_known = known_in(set(), set(documents_by_stem))
    groups = []
    for word in words:
        alternatives: list[tuple[str, ...]] = []
        documents = 0
        for candidate in filter(None, [word, corrections.get(word)]):
            if is_known(candidate):
                alternatives.append((candidate,))
                documents = max(documents, documents_by_stem.get(stem(candidate), 0))
            for left, right in compound_splits(candidate, is_known=is_known):
                alternatives.append((left, right))
                documents = max(
                    documents,
                    min(
                        documents_by_stem.get(stem(left), 0), documents_by_stem.get(stem(right), 0)
                    ),
                )
        if alternatives:
            groups.append(
                TermGroup(
                    word=word, alternatives=tuple(dict.fromkeys(alternatives)), documents=documents
                )
            )
    total_documents, average_length = _index_size() if groups else (0, 0.0)
    return QueryPlan(
        groups=groups,
        corrections=corrections,
        total_documents=total_documents,
        average_length=average_length,
        documents_by_stem=documents_by_stem,
    )


def _index_size() -> tuple[int, float]:
    """How many documents the index holds, and their average length in stems."""
    size = SearchIndexSize.objects.filter(pk=1).values_list("documents", "length").first()
    documents, length = size or (0, 0)
    return documents, length / documents if documents else 0.0


def _documents_by_stem(words: set[str]) -> dict[str, int]:
    stems = {stem(word) for word in words}
    rows = (
        SearchTerm.objects.filter(Q(stem__in=stems) | Q(word__in=words))
        .values("stem")
        .annotate(total=Sum("documents"))
    )
    return {row["stem"]: row["total"] or 0 for row in rows}


def _correct(words: list[str]) -> dict[str, str]:
    """The most common known word one edit away from each unknown word."""
    candidates = {word: typo_candidates(word) for word in words}
    wanted = set().union(*candidates.values()) if candidates else set()
    found = (
        dict(SearchTerm.objects.filter(word__in=wanted).values_list("word", "documents"))
        if wanted
        else {}
    )
    corrections: dict[str, str] = {}
    for word, options in candidates.items():
        known = [(found[option], option) for option in options if option in found]
        if known:
            corrections[word] = max(known, key=lambda item: (item[0], item[1]))[1]
    return corrections


def _matching_groups(plan: QueryPlan) -> tuple[list[TermGroup], bool]:
    """Leave out words common enough to slow the query, as long as a rarer word remains.

    When every word is common, say so: the query then first matches titles only, so it never
    ranks a large share of the index.
    """
    limit = max(COMMON_WORD_MIN_DOCUMENTS, plan.total_documents * COMMON_WORD_SHARE)
    rare = [group for group in plan.groups if group.documents <= limit]
    return (rare, False) if rare else (plan.groups, bool(plan.groups))


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    corrections: dict[str, str]


def search(
    *,
    text: str,
    audience: SearchAudience | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[SearchHit]:
    """The best `limit` documents for the text, best first.

    With `audience=public` only public articles can come back (the citizen portal).
    """
    return search_with_corrections(text=text, audience=audience, limit=limit).hits


def search_with_corrections(
    *,
    text: str,
    audience: SearchAudience | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """`search`, and the typo corrections it made (to show "searched for …")."""
    plan = plan_query(text)
    groups, common = _matching_groups(plan)
    if not groups:
        return SearchResult(hits=[], corrections={})
    # Room for the KLE hits that fold into their group's best one.
    fetch = limit * 2
    rows: list[Row] = []
    if len(groups) > 1:
        # Documents with every word first: a selective match, cheap on a large index.
        rows = _run(groups, plan, audience, fetch, titles_only=common, every=True)
    if len(rows) < fetch:
        rows = _run(groups, plan, audience, fetch, titles_only=common)
    if common and len(rows) < fetch:
        rows = _run(groups, plan, audience, fetch, titles_only=False)
    hits = [
        SearchHit(
            kind=DocumentKind(kind),
            object_id=object_id,
            title=title,
            snippet=_snippet(body),
            score=round(float(score), 4),
            audience=SearchAudience(row_audience),
        )
        for kind, object_id, title, body, row_audience, score in rows
    ]
    if audience == SearchAudience.PUBLIC:
        # The index holds only articles as public; this keeps the promise even if that changes.
        hits = [
            hit
            for hit in hits
            if hit.audience == SearchAudience.PUBLIC and hit.kind == DocumentKind.ARTICLE
        ]
    hits = _fold_kle_groups(hits)[:limit]
    return SearchResult(hits=_with_guides(hits), corrections=plan.corrections if hits else {})


def _fold_kle_groups(hits: list[SearchHit]) -> list[SearchHit]:
    """One hit per KLE group: a group, its "i almindelighed" topic and its other topics share
    their words, and would otherwise crowd the articles and guides out. The best of them keeps
    its place; the others are listed under it."""
    folded: list[SearchHit] = []
    heads: dict[str, int] = {}
    for hit in hits:
        group = hit.kle_group
        if group is None:
            folded.append(hit)
        elif group in heads:
            head = folded[heads[group]]
            folded[heads[group]] = replace(head, topics=(*head.topics, hit))
        else:
            heads[group] = len(folded)
            folded.append(hit)
    return folded


def _snippet(body: str) -> str:
    first = " ".join(body.split())
    return first if len(first) <= SNIPPET_LENGTH else first[: SNIPPET_LENGTH - 1].rstrip() + "…"


def _with_guides(hits: list[SearchHit]) -> list[SearchHit]:
    task_ids = [hit.object_id for hit in hits if hit.kind == DocumentKind.TASK]
    if not task_ids:
        return hits
    guides = dict(Guide.objects.filter(task_id__in=task_ids).values_list("task_id", "pk"))
    return [
        replace(hit, guide_id=guides.get(hit.object_id)) if hit.kind == DocumentKind.TASK else hit
        for hit in hits
    ]


def _boost_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{kind.value}' THEN {boost}" for kind, boost in KIND_BOOST.items())
    return f"(CASE {column} {cases} ELSE 1.0 END)"


Row = tuple[str, int, str, str, str, float]


def _run(
    groups: list[TermGroup],
    plan: QueryPlan,
    audience: SearchAudience | None,
    limit: int,
    *,
    titles_only: bool,
    every: bool = False,
) -> list[Row]:
    """Match any group (or, with `every`, all groups), in titles only or everywhere."""
    if connection.vendor == "postgresql":
        return _search_postgresql(
            groups, plan, audience, limit, titles_only=titles_only, every=every
        )
    return _search_sqlite(groups, audience, limit, titles_only=titles_only, every=every)


def _tsquery(group: TermGroup) -> str:
    return " | ".join(
        "(" + " & ".join(f"'{stem(part)}'" for part in alternative) + ")"
        for alternative in group.alternatives
    )


def _idf(documents: int, total: int) -> float:
    """FTS5's idf: log((N − n + ½) / (n + ½)), and a small positive floor for a word in more
    than half the documents. n is at most N: the vocabulary counts each form of a stem apart,
    so two forms in one document count it twice."""
    documents = min(documents, total)
    return max(math.log((total - documents + 0.5) / (documents + 0.5)), 1e-6)


def _search_postgresql(
    groups: list[TermGroup],
    plan: QueryPlan,
    audience: SearchAudience | None,
    limit: int,
    *,
    titles_only: bool,
    every: bool,
) -> list[Row]:
    """Match through a GIN index over the search stems; rank by bm25 as SQLite's FTS5 does,
    times the kind boost.

    Each stem of the query adds idf × f(k1 + 1) / (f + k1(1 − b + b·length / average length)),
    where f sums the column weights of the stem's places in the document: how often a word
    occurs counts, and saturates (the moving-notification article's seven terms *flytning*
    weigh about as much as one title word). PostgreSQL's own `ts_rank` counts a word's
    best-weighted place and hardly how often, which ranked *04.30.02 Flytning af urner* above
    it. The candidates' vectors are unnested once each; the document count and the average
    length come from the index's size row (`SearchIndexSize`), read with the plan. Titles only:
    the small `title_vector`, so neither the match nor the rank reads the full text.
    """
    column = "title_vector" if titles_only else "vector"
    stems = [stem(part) for group in groups for parts in group.alternatives for part in parts]
    idfs = [_idf(plan.documents_by_stem.get(word, 0), plan.total_documents) for word in stems]
    labels = " ".join(f"WHEN '{label}' THEN {weight}" for label, weight in PG_LABEL_WEIGHTS.items())
    # Numbers and the column's name are formatted in; every value is a parameter.
    rank = (
        f"(SELECT sum(query.idf * f.weight * {BM25_K1 + 1} / (f.weight + {BM25_K1} * "  # noqa: S608
        f"({1 - BM25_B} + {BM25_B} * d.length / %s))) "
        f"FROM unnest(d.{column}) AS found "
        "JOIN unnest(%s::text[], %s::float8[]) AS query(lexeme, idf) USING (lexeme) "
        f"CROSS JOIN LATERAL (SELECT sum(CASE label {labels} END) AS weight "
        "FROM unnest(found.weights) AS label) AS f)"
    )
    params: list[list[str] | list[float] | float | str | int] = [
        max(plan.average_length, 1.0),
        stems,
        idfs,
    ]
    where = f"d.{column} @@ to_tsquery('simple', %s)"
    params.append((" & " if every else " | ").join(f"({_tsquery(group)})" for group in groups))
    if audience is not None:
        where += " AND d.audience = %s"
        params.append(audience.value)
    params.append(limit)
    sql = (
        "SELECT d.kind, d.object_id, d.title, left(d.body, 400), d.audience, "  # noqa: S608 - values are parameters
        f"{rank} * {_boost_sql('d.kind')} AS score "
        f"FROM search_searchdocument d WHERE {where} ORDER BY score DESC, d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _fts_query(
    groups: list[TermGroup],
    audience: SearchAudience | None,
    *,
    titles_only: bool = False,
    every: bool = False,
) -> str:
    def alternative(parts: tuple[str, ...]) -> str:
        return "(" + " AND ".join(f'"{stem(part)}"' for part in parts) + ")"

    expression = (" AND " if every else " OR ").join(
        "(" + " OR ".join(alternative(parts) for parts in group.alternatives) + ")"
        for group in groups
    )
    if titles_only:
        expression = f"{{{FTS_TITLE_COLUMNS}}} : ({expression})"
    if audience is not None:
        expression = f"({expression}) AND audience : {audience.value}"
    return expression


def _search_sqlite(
    groups: list[TermGroup],
    audience: SearchAudience | None,
    limit: int,
    *,
    titles_only: bool,
    every: bool,
) -> list[Row]:
    """FTS5 over the stems, ranked by bm25 (which weighs rare words itself), times the boost."""
    sql = (
        "SELECT d.kind, d.object_id, d.title, substr(d.body, 1, 400), d.audience, "  # noqa: S608 - values are parameters
        f"-bm25(search_fts, {FTS_WEIGHTS}) * {_boost_sql('d.kind')} AS score "
        "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH %s ORDER BY score DESC, d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        query = _fts_query(groups, audience, titles_only=titles_only, every=every)
        cursor.execute(sql, [query, limit])
        return list(cursor.fetchall())
