from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The six digits an authenticator app shows now."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        strip=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Enter the six digits from the app."))],
        error_messages={
            "required": _("Enter the six digits from the app."),
            "min_length": _("Enter the six digits from the app."),
            "max_length": _("Enter the six digits from the app."),
        },
    )
