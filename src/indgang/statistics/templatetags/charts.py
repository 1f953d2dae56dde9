"""`{% chart c %}`: a chart's SVG and, beside it, the same numbers as a table."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from indgang.statistics.plots import Chart, svg_of, table_of

register = template.Library()


@register.inclusion_tag("statistics/_chart.html")
def chart(chart: Chart) -> dict[str, object]:
    return {
        "chart": chart,
        # Drawn by matplotlib from our own description and re-serialised by ElementTree, which
        # escapes every text; nothing a user typed reaches it unescaped.
        "svg": mark_safe(svg_of(chart)),  # noqa: S308
        "table": table_of(chart),
    }
