"""The case screen's forms: they parse what a step needs; the services judge it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indgang.cases.constants import (
    MAX_CASEWORKERS,
    MAX_DEFICIENCY_ITEMS,
    MAX_HEARING_PARTIES,
    MAX_NOTE_CHARS,
    MAX_STAFF_PRESENT,
    CaseAction,
    CasePartyRole,
    DecisionOutcome,
    HearingKind,
    NoticeMethod,
    ServiceNeedType,
)
from indgang.common.forms import BoundedDateField
from indgang.common.inputs import parse_id


class IdsField(forms.Field):
    """Several ids from checkboxes or a multiple select, each a positive integer."""

    widget = forms.SelectMultiple

    def __init__(self, *, most: int, **kwargs: Any) -> None:
        self.most = most
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        values = [str(each) for each in value or []]
        ids = [parse_id(each) for each in values]
        if any(each is None for each in ids):
            raise ValidationError(_("Choose from the list."), code="invalid")
        if len(ids) > self.most:
            raise ValidationError(
                _("Choose at most %(most)s.") % {"most": self.most}, code="max_value"
            )
        return [each for each in ids if each is not None]


class CaseActionForm(forms.Form):
    """One step of the state machine; a decision carries its outcome and conditions, an
    inspection's step its notice, the staff at the visit, or the report's findings and next
    steps."""

    action = forms.ChoiceField(label=_("Action"), choices=CaseAction.choices)
    decision = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *DecisionOutcome.choices], required=False
    )
    conditions = forms.CharField(label=_("Conditions"), max_length=20_000, required=False)
    note = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False)
    notice_method = forms.ChoiceField(
        label=_("Notice"), choices=[("", "---------"), *NoticeMethod.choices], required=False
    )
    agenda = forms.CharField(label=_("Agenda"), max_length=10_000, required=False)
    staff_present = IdsField(label=_("Staff present"), most=MAX_STAFF_PRESENT, required=False)
    findings = forms.CharField(
        label=_("Findings (one a line)"), max_length=50_000, required=False, widget=forms.Textarea
    )
    next_steps = forms.CharField(label=_("What happens next"), max_length=10_000, required=False)


class ServiceNeedForm(forms.Form):
    service_need_type = forms.ChoiceField(
        label=_("Service-need type"), choices=ServiceNeedType.choices
    )
    reason = forms.CharField(label=_("Reason"), max_length=2_000)


class ChecklistForm(forms.Form):
    item = forms.IntegerField(label=_("Checklist item"), min_value=1)
    done = forms.BooleanField(label=_("Done"), required=False)


class DeficiencyLetterForm(forms.Form):
    items = forms.CharField(
        label=_("What is missing (one item per line)"), max_length=50_000, widget=forms.Textarea
    )
    reply_by = forms.DateField(label=_("The applicant replies by"))
    note = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False)

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        items = [line for line in lines if line]
        if len(items) > MAX_DEFICIENCY_ITEMS:
            raise ValidationError(
                _("List at most %(most)s missing items.") % {"most": MAX_DEFICIENCY_ITEMS}
            )
        return items


class DeficiencyAnswerForm(forms.Form):
    answered = IdsField(
        label=_("Items the answer covers"), most=MAX_DEFICIENCY_ITEMS, required=False
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False)


class WaiverForm(forms.Form):
    item = forms.IntegerField(label=_("Missing item"), min_value=1)
    reason = forms.CharField(label=_("Why the item is no longer needed"), max_length=2_000)


class HearingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of hearing"), choices=HearingKind.choices)
    reply_by = forms.DateField(label=_("Reply by"))
    parties = IdsField(label=_("Parties heard"), most=MAX_HEARING_PARTIES)
    note = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False)


class HearingReplyForm(forms.Form):
    hearing = forms.IntegerField(label=_("Hearing"), min_value=1)
    party = forms.IntegerField(label=_("Party"), min_value=1)
    received_at = forms.DateTimeField(label=_("Received"))
    objects_to = forms.BooleanField(label=_("The party objects"), required=False)
    summary = forms.CharField(label=_("Summary"), max_length=10_000)


class IndskaerpelseForm(forms.Form):
    cause = forms.CharField(label=_("Cause"), max_length=10_000)
    requirement = forms.CharField(label=_("What the party must do"), max_length=10_000)
    deadline = forms.DateField(label=_("Remediation deadline"))


class IndskaerpelseStepForm(forms.Form):
    """Mark remedied, follow up (with a note) or start enforcement on one indskærpelse."""

    indskaerpelse = forms.IntegerField(label=_("Indskærpelse"), min_value=1)
    note = forms.CharField(label=_("What the follow-up found"), max_length=10_000, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=MAX_NOTE_CHARS)


class CaseDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    dated = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("File"))


class CasePartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CasePartyRole.choices)
    cpr = forms.CharField(label=_("CPR number"), max_length=20, required=False)
    cvr = forms.CharField(label=_("CVR number"), max_length=20, required=False)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)


class RemovePartyForm(forms.Form):
    case_party = forms.IntegerField(label=_("Party"), min_value=1)


class ContactLinkForm(forms.Form):
    contact = forms.IntegerField(label=_("Contact number"), min_value=1)


class CaseworkersForm(forms.Form):
    caseworkers = IdsField(label=_("Caseworkers"), most=MAX_CASEWORKERS)


class ApplicationFromMeetingForm(forms.Form):
    category = forms.CharField(max_length=40)
    property_address = forms.CharField(max_length=300, required=False)
