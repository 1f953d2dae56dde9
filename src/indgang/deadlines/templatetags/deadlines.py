"""Template helpers for showing deadlines beside other apps' data (the 360)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|lookup:key`: the value for key, or an empty list."""
    return mapping.get(key, [])
