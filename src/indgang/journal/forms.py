from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.common.forms import BoundedDateField
from indgang.journal.constants import DocumentDirection
from indgang.journal.models import Document
from indgang.journal.services import upload_document


class DocumentForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=DocumentDirection.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    dated = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("File (optional)"), required=False)

    def upload_to(self, subject: models.Model, *, by: User, now: dt.datetime) -> Document:
        """The valid form's document listed on `subject`, through the journal's upload rules
        (type, size, scan); their refusal is raised as the service's ValidationError."""
        data = self.cleaned_data
        return upload_document(
            subject=subject,
            direction=DocumentDirection(data["direction"]),
            title=data["title"],
            dated=data["dated"],
            file=data["file"],
            by=by,
            now=now,
        )
