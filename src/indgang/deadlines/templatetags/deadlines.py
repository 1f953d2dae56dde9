"""Template helpers for showing deadlines beside other apps' data (the 360) and their urgency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from indgang.deadlines.models import Deadline
from indgang.deadlines.urgency import Urgency, urgency_of

register = template.Library()


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|lookup:key`: the value for key, or an empty list."""
    return mapping.get(key, [])


@register.simple_tag
def deadline_urgency(deadline: Deadline, now: dt.datetime) -> Urgency:
    """`{% deadline_urgency deadline now as urgency %}`: its level (a CSS class) and text."""
    return urgency_of(
        status=deadline.status,
        due_at=deadline.due_at,
        now=now,
        zone=timezone.get_current_timezone(),
    )
