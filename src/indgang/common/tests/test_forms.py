"""PlainSelect writes the HTML Django's templates write for a select, option for option."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from indgang.common.forms import PlainSelect

CHOICES: list[Any] = [
    ("", "Alle"),
    (1, "Byggesager (BTF)"),
    (2, 'Rotter & mus <"Natur">'),
    ("a&b", "Værdi med tegn"),
]
GROUPED: list[Any] = [
    ("", "Alle"),
    ("Teknik & Miljø", [(3, "Fjernvarme"), (4, "Grundvand")]),
    ("Borgerservice", [(5, "Pas")]),
]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, None),
        (CHOICES, 2, {"id": "id_task"}),
        (CHOICES, "a&b", {"id": "id_task", "required": True, "disabled": False}),
        (GROUPED, 4, {"id": "id_task", "data-x": 'say "hi"'}),
        ([], "", None),
    ],
)
def test_a_plain_select_is_the_html_of_djangos_select(
    choices: list[Any], value: Any, attrs: dict[str, Any] | None
) -> None:
    django_select = forms.Select(choices=choices).render("task", value, attrs)
    plain = PlainSelect(choices=choices).render("task", value, attrs)
    assert plain == django_select
    assert "<option" in plain or not choices


def test_a_bound_field_with_a_plain_select_renders_as_with_djangos() -> None:
    class Filters(forms.Form):
        task = forms.ChoiceField(choices=CHOICES, required=False)

    class PlainFilters(forms.Form):
        task = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)

    data = {"task": "2"}
    assert str(PlainFilters(data)["task"]) == str(Filters(data)["task"])
