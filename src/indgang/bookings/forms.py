from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_NOTE_CHARS = 10_000


class BookMeetingForm(forms.Form):
    slot = forms.IntegerField(min_value=1)
    task = forms.IntegerField(min_value=1)
    party = forms.IntegerField(min_value=1, required=False)
    cpr = forms.CharField(max_length=20, required=False, label=_("CPR number"))
    cvr = forms.CharField(max_length=20, required=False, label=_("CVR number"))
    name = forms.CharField(max_length=200, required=False, label=_("Name"))


class NoteForm(forms.Form):
    note = forms.CharField(max_length=MAX_NOTE_CHARS, required=False, strip=True)


class SummaryForm(forms.Form):
    summary = forms.CharField(max_length=20_000, required=False)


class RebookForm(forms.Form):
    slot = forms.IntegerField(min_value=1)
