from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.common.forms import BoundedDateTimeField
from indgang.deadlines.constants import CONTACT_KIND_CHOICES, StopEvent

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StartForm(forms.Form):
    """A promise made on a contact: the rule for its kind gives the due date unless one is set."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CONTACT_KIND_CHOICES)
    due_at = BoundedDateTimeField(label=_("Due (optional)"), widget=LOCAL_DATETIME, required=False)
    length = forms.IntegerField(
        label=_("Length in days (optional)"), min_value=1, max_value=3650, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class ExtendForm(forms.Form):
    due_at = BoundedDateTimeField(label=_("New due date"), widget=LOCAL_DATETIME)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class NoticeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the deadline cannot be met"), max_length=2000, required=False
    )
    expected_at = BoundedDateTimeField(label=_("Answer expected"), widget=LOCAL_DATETIME)


class CompleteForm(forms.Form):
    stopped_by = forms.ChoiceField(label=_("Stopped by"), choices=StopEvent.choices)
