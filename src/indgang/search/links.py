"""Where a search hit leads in the staff screens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from indgang.search.constants import DocumentKind
from indgang.search.selectors import SearchHit


def hit_url(hit: SearchHit) -> str:
    if hit.kind == DocumentKind.ARTICLE:
        return reverse("knowledge-article", args=[hit.object_id])
    if hit.kind == DocumentKind.TASK:
        return reverse("knowledge-guide", args=[hit.object_id])
    return reverse("catalogue") + "?" + urlencode({"q": hit.title.split()[0]})


def used_value(hit: SearchHit) -> str:
    """The value the front desk posts when staff mark this hit as the one that helped."""
    if hit.kind == DocumentKind.ARTICLE:
        return f"article:{hit.object_id}"
    if hit.kind == DocumentKind.TASK and hit.guide_id is not None:
        return f"guide:{hit.guide_id}"
    return ""
