"""Form fields that keep common.inputs' rules: dates and times within its range.

The forms' text needs nothing here: InputMiddleware has already refused control characters and
stripped invisible ones from every posted value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

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
