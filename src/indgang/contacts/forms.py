from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.forms import BoundedDateField
from indgang.contacts.constants import (
    MAX_DURATION_SECONDS,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Outcome,
)
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit


class ContactFilterForm(forms.Form):
    """The contact list's filters and sort order, read from the query string."""

    received_from = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = BoundedDateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.select_related("department").order_by("department__name", "name"),
        required=False,
        empty_label=_("All units"),
    )
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.select_related("department").order_by("title", "pk"),
        required=False,
        empty_label=_("All tasks"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All outcomes")), *Outcome.choices], required=False
    )
    text = forms.CharField(label=_("Text in the summary"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date must be on or after the start date."))
        return data


class ContactEditForm(forms.Form):
    """The contact page's edit: what the registrar may correct afterwards."""

    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("No outcome")), *Outcome.choices], required=False
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=0,
        max_value=MAX_DURATION_SECONDS // 60,
    )

    @classmethod
    def for_contact(cls, contact: Contact, data: Any = None) -> ContactEditForm:
        return cls(
            data,
            initial={
                "summary": contact.summary,
                "channel": contact.channel,
                "outcome": contact.outcome,
                "duration_minutes": (
                    None
                    if contact.duration_seconds is None
                    else round(contact.duration_seconds / 60)
                ),
            },
        )

    def duration_seconds(self, contact: Contact) -> int | None:
        """The new duration; a timed call's seconds stay when the minutes shown are kept."""
        if "duration_minutes" not in self.changed_data:
            return contact.duration_seconds
        minutes: int | None = self.cleaned_data["duration_minutes"]
        return None if minutes is None else minutes * 60


class ContactNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only, never by the citizen."),
    )


class RerouteForm(forms.Form):
    """Move a contact to another task and, optionally, another unit (triage's routing)."""

    task = forms.ModelChoiceField(
        label=_("Task"), queryset=Task.objects.filter(is_active=True).order_by("title")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.select_related("department"),
        required=False,
        help_text=_("Leave empty for the task's own unit."),
    )


class CaseLinkForm(forms.Form):
    case = forms.IntegerField(
        label=_("Case number"),
        min_value=1,
        max_value=2**31 - 1,
        # The party's cases are offered as the user types (a datalist on the page).
        widget=forms.NumberInput(attrs={"list": "party-cases"}),
    )
