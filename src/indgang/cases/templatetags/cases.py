"""Labels of codes kept as plain text: an event's action and decision, a party's role."""

from __future__ import annotations

from django import template
from django.db import models

from indgang.cases.constants import CaseAction, CasePartyRole, DecisionOutcome

register = template.Library()


def _label(choices: type[models.TextChoices], code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


@register.filter
def action_label(code: str) -> str:
    return _label(CaseAction, code)


@register.filter
def outcome_label(code: str) -> str:
    return _label(DecisionOutcome, code)


@register.filter
def role_label(code: str) -> str:
    return _label(CasePartyRole, code)
