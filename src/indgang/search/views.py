from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indgang.organisation.decorators import staff_view
from indgang.search.constants import DEFAULT_LIMIT
from indgang.search.links import hit_url, used_value
from indgang.search.selectors import SearchHit, search_with_corrections

QUERY_LENGTH = 200

Row = tuple[SearchHit, str, str, list[tuple[SearchHit, str]]]


def _row(hit: SearchHit, *, used: str = "") -> Row:
    """A hit as the templates list it: its link, its "this helped" value, and the KLE topics
    folded under it with theirs."""
    return hit, hit_url(hit), used, [(topic, hit_url(topic)) for topic in hit.topics]


@staff_view
def front_desk_results(request: HttpRequest) -> HttpResponse:
    """The front desk's knowledge search: ranked hits, each article or guide markable as used."""
    text = request.GET.get("kb_q", "").strip()[:QUERY_LENGTH]
    result = search_with_corrections(text=text, limit=DEFAULT_LIMIT) if text else None
    hits = result.hits if result else []
    corrections = result.corrections if result else {}
    rows = [_row(hit, used=used_value(hit)) for hit in hits]
    selected = request.GET.get("knowledge_used", "")
    return render(
        request,
        "search/results.html",
        {
            "rows": rows,
            "text": text,
            "corrections": corrections,
            "selected": selected,
            # A choice made on an earlier search stays with the form until another is made.
            "kept": selected if selected and selected not in {row[2] for row in rows} else "",
        },
    )


@staff_view
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page: ranked hits, and the typos it corrected, as the front desk shows them."""
    text = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    result = search_with_corrections(text=text, limit=30) if text else None
    return render(
        request,
        "search/search.html",
        {
            "rows": [_row(hit) for hit in result.hits] if result else [],
            "text": text,
            "corrections": result.corrections if result else {},
        },
    )
