"""The queue screens' forms: parse what staff type; the queue's services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from indgang.bookings.models import Desk, Slot
from indgang.bookings.queue import DESK_OUTCOMES
from indgang.catalogue.models import Task
from indgang.catalogue.selectors import list_tasks
from indgang.common.forms import PlainSelect


def _task_field() -> forms.ModelChoiceField[Task]:
    return forms.ModelChoiceField(
        label=_("Task"), queryset=list_tasks(), required=False, widget=PlainSelect
    )


def _cpr_field() -> forms.CharField:
    return forms.CharField(
        label=_("CPR number (if given)"),
        required=False,
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class TriageForm(forms.Form):
    task = _task_field()
    desk = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Desk.objects.none(),
        required=False,
        empty_label=_("The next free desk"),
    )
    cpr = _cpr_field()

    def __init__(self, *args: Any, desks: list[Desk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = Desk.objects.filter(pk__in=[desk.pk for desk in desks])  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Time"), queryset=Slot.objects.none())
    summary = forms.CharField(
        label=_("What the visitor came for"), widget=forms.Textarea(attrs={"rows": 2})
    )
    cpr = _cpr_field()

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        field.queryset = Slot.objects.filter(pk__in=[slot.pk for slot in slots])  # type: ignore[attr-defined]
        field.label_from_instance = lambda slot: f"{localtime(slot.starts_at):%d.%m. %H:%M}"  # type: ignore[attr-defined]


class FinishForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(outcome.value, outcome.label) for outcome in DESK_OUTCOMES],
        initial=DESK_OUTCOMES[0].value,
        widget=forms.RadioSelect,
    )
    task = _task_field()
    cpr = _cpr_field()
