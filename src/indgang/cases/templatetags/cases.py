"""Labels of codes kept as plain text (an event's action and decision, a party's role), and a
refusal's message by its field."""

from __future__ import annotations

from django import template
from django.db import models
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def field_error(context: template.Context, form: str, field: str) -> str:
    """The refusal's messages about one field of one form, by the field (its id is what the
    field's aria-describedby names)."""
    tag = f"for-{form}-{field}"
    shown = context.get("messages") or ()
    texts = [str(message) for message in shown if tag in message.tags.split()]
    if not texts:
        return ""
    return format_html(
        '<span class="field-error" id="error-{}-{}">{}</span>', form, field, " ".join(texts)
    )
