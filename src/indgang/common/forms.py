"""Form fields that keep common.inputs' rules (dates and times within its range), and a
service's refusal shown on a form.

The forms' text needs nothing here: InputMiddleware has already refused control characters and
stripped invisible ones from every posted value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from indgang.common.inputs import check_time_range


class BoundedDateTimeField(forms.DateTimeField):
    """A time between common.inputs.EARLIEST and LATEST (a browser's datetime-local field sends
    none, so it is read in the municipality's time zone, as Django does)."""

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is not None:
            check_time_range(parsed)
        return parsed


class BoundedDateField(forms.DateField):
    """A date between common.inputs.EARLIEST and LATEST."""

    def to_python(self, value: Any) -> dt.date | None:
        parsed = super().to_python(value)
        if parsed is not None:
            check_time_range(parsed)
        return parsed


def add_refusal(form: forms.Form, error: ValidationError, *, field: str | None = None) -> None:
    """A service's refusal as errors on the form's fields; one without a field, or naming a
    field the form does not have, on `field` (else on the form as a whole)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error.messages)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else field, errors)
