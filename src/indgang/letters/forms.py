from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# A letter is a page or two; the limits keep a pasted document out.
TITLE_MAX = 300
BODY_MAX = 20_000


class TemplateVersionForm(forms.Form):
    title = forms.CharField(label=_("Subject line"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Body"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 90}),
        strip=False,
    )
