from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import Task
from indgang.organisation.models import Unit


class QueueRouteForm(forms.Form):
    """Route a queued contact: a suggested task or any other, and optionally another unit."""

    task = forms.ModelChoiceField(
        label=_("Suggested task"),
        queryset=Task.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": _("Choose a task from the catalogue.")},
    )
    other_task = forms.ModelChoiceField(
        label=_("Another task"),
        queryset=Task.objects.filter(is_active=True).select_related("department").order_by("title"),
        required=False,
        error_messages={"invalid_choice": _("Choose a task from the catalogue.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (if not the task's own)"),
        queryset=Unit.objects.select_related("department"),
        required=False,
        error_messages={"invalid_choice": _("Choose a unit from the list.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["task"] = data.get("other_task") or data.get("task")
        if data["task"] is None and not self.errors:
            raise forms.ValidationError(_("Choose the task the contact is about."))
        return data
