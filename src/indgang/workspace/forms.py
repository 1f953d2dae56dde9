"""The front desk's register form (the view is in workspace.views)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.forms import BoundedDateTimeField
from indgang.contacts.constants import SUMMARY_MAX_LENGTH, Outcome
from indgang.contacts.models import Thread
from indgang.knowledge.forms import KnowledgeUsedField
from indgang.organisation.models import Unit
from indgang.parties.identifiers import InvalidIdentifierError, parse_identifier


class FrontDeskContactForm(forms.Form):
    """The front desk's register form; the pressed outcome button completes it."""

    identifier = forms.CharField(
        label=_("CPR or CVR number"),
        required=False,
        max_length=20,
        help_text=_("Leave empty for an anonymous contact."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_(
            "Optional, Tab from the number: names a new citizen or company; without a number, "
            "the contact keeps it."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("What is the contact about?"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.filter(is_active=True).prefetch_related("kle_topics"),
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Forward to unit"),
        queryset=Unit.objects.select_related("department"),
        required=False,
    )
    received_at = BoundedDateTimeField(
        label=_("Received"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=0, max_value=600
    )
    thread = forms.ModelChoiceField(
        label=_("Same matter as"),
        queryset=Thread.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the citizen's or company's threads.")},
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    knowledge_used = KnowledgeUsedField(label=_("The article or guide that helped"), required=False)

    def __init__(self, *args: Any, threads: QuerySet[Thread], **kwargs: Any) -> None:
        """`threads`: those a new contact of this registrar may join."""
        super().__init__(*args, **kwargs)
        field = self.fields["thread"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = threads

    def clean_identifier(self) -> tuple[str | None, str | None]:
        try:
            return parse_identifier(self.cleaned_data["identifier"])
        except InvalidIdentifierError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime | None = self.cleaned_data["received_at"]
        return value or timezone.now()
