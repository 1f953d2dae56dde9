from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.cases.constants import CaseAction, DecisionOutcome, ServiceNeedType


class CaseActionForm(forms.Form):
    """One step of the state machine; the decide actions carry the outcome."""

    action = forms.ChoiceField(label=_("Action"), choices=CaseAction.choices)
    decision = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *DecisionOutcome.choices], required=False
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=10_000, required=False)


class ServiceNeedForm(forms.Form):
    service_need_type = forms.ChoiceField(
        label=_("Service-need type"), choices=ServiceNeedType.choices
    )
    reason = forms.CharField(label=_("Reason"), max_length=2_000)
