from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.common.forms import BoundedDateField
from indgang.journal.constants import DocumentDirection


class DocumentForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=DocumentDirection.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    dated = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("File (optional)"), required=False)
