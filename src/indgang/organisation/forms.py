from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indgang.organisation.constants import Role
from indgang.organisation.models import Department, Unit


class AssignRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (optional)"),
        queryset=Unit.objects.select_related("department").order_by("department__name", "name"),
        required=False,
        help_text=_("Leave empty for the whole department."),
    )


class ActiveForm(forms.Form):
    active = forms.BooleanField(required=False)
