"""Form fields that keep common.inputs' rules (dates and times within its range), a select
written without a template per option, and a service's refusal shown on a form.

The forms' text needs nothing here: InputMiddleware has already refused control characters and
stripped invisible ones from every posted value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


def _attributes(attrs: dict[str, Any]) -> str:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` for True, nothing
    for False."""
    return "".join(
        f" {name}" if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select whose options are written in Python, each with one format_html, where Django
    renders a template per option: the same HTML, for a fraction of the cost of the catalogue's
    hundreds of tasks on every statistics page (common/tests/test_forms.py compares the two)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            format_html('<select name="{}"', widget["name"]),
            _attributes(widget["attrs"]),
            ">",
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_attributes(option["attrs"])),  # noqa: S308 - escaped by format_html
                    conditional_escape(option["label"]),
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def add_refusal(form: forms.Form, error: ValidationError, *, field: str | None = None) -> None:
    """A service's refusal as errors on the form's fields; one without a field, or naming a
    field the form does not have, on `field` (else on the form as a whole)."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error.messages)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else field, errors)
