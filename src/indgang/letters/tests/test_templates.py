"""Template versions: the shipped texts, editing into new versions, refusal of a bad template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indgang.conftest import Staff
from indgang.letters.constants import LetterKind
from indgang.letters.models import LetterTemplate, LetterTemplateVersion
from indgang.letters.rendering import example_context, render_letter
from indgang.letters.selectors import current_version, list_templates, list_versions
from indgang.letters.services import save_template_version

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_every_kind_ships_a_plain_language_text_below_the_lix_limit() -> None:
    rows = list_templates()
    assert [template.kind for template, _version in rows] == sorted(LetterKind.values)
    for _template, version in rows:
        assert version is not None
        assert version.number == 1
        assert version.created_by is None
        assert Decimal(10) < version.lix < Decimal(40)


@pytest.mark.django_db
def test_the_decision_letter_carries_complaint_guidance() -> None:
    version = current_version(kind=LetterKind.DECISION)
    _title, html = render_letter(
        title=version.title, body=version.body, context=example_context(LetterKind.DECISION)
    )
    assert "<h2>Sådan klager du</h2>" in html
    assert "Du kan klage over afgørelsen til Planklagenævnet." in html
    assert "Vi skal have din klage senest den 30. marts 2026." in html
    assert "<li>Carporten skal stå mindst 2,5 meter fra skellet.</li>" in html


def test_a_letter_is_rendered_inside_the_letterhead_with_its_data_escaped() -> None:
    context = {**example_context(LetterKind.RECEIPT), "recipient_name": "<b>Mette</b> & Co"}
    title, html = render_letter(
        title="Kvittering for sag {{ case_number }}",
        body="<p>Kære {{ recipient_name }}</p><p>Modtaget {{ received_date|date:'j. F Y' }}.</p>",
        context=context,
    )
    assert title == "Kvittering for sag 2026-000123"
    assert '<div class="name">Testkommune</div>' in html
    assert "<div>CVR 29189978</div>" in html
    assert "<p>Kære &lt;b&gt;Mette&lt;/b&gt; &amp; Co</p>" in html
    assert "<p>Modtaget 27. februar 2026.</p>" in html
    assert "<h1>Kvittering for sag 2026-000123</h1>" in html


@pytest.mark.django_db
def test_editing_adds_a_version_with_its_lix_and_keeps_the_old_one(staff: Staff) -> None:
    body = "<p>Kære {{ recipient_name }}</p><p>Kommunen behandler ansøgningen hurtigt.</p>"
    version = save_template_version(
        kind=LetterKind.RECEIPT, title="Kvittering", body=body, by=staff.admin, now=NOW
    )
    assert version.number == 2
    assert version.created_by == staff.admin
    assert version.created_at == NOW
    # "Kære Mette Hansen" / "Kommunen behandler ansøgningen hurtigt": 7 words, 2 sentences,
    # 4 long: 3.5 + 57.14.
    assert version.lix == Decimal("60.6")
    assert current_version(kind=LetterKind.RECEIPT) == version
    assert [v.number for v in list_versions(kind=LetterKind.RECEIPT)] == [2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        (
            "Kvittering",
            "<p>{{ missing_items }}</p>",
            "body",
            "Ukendt variabel: missing_items.",
        ),
        (
            "Kvittering {{ decision_text }}",
            "<p>Hej</p>",
            "title",
            "Ukendt variabel: decision_text.",
        ),
        (
            "Kvittering",
            "<p>{% if recipient_name %}Hej",
            "body",
            "Skabelonen kan ikke oversættes:",
        ),
        (
            "Kvittering",
            "{% for x in recipient_name %}{{ x }}{{ decision_text|default:x }}{% endfor %}",
            "body",
            "Ukendt variabel: decision_text.",
        ),
        (
            "Kvittering",
            "{{ service_target_days|divisibleby:0 }}",
            "body",
            "Skabelonen fejler med eksempeldata: integer modulo by zero",
        ),
        (
            "Kvittering",
            "{% include 'letters/letter.html' %}",
            "body",
            "Kun tekst, variabler, {% if %} og {% for %} må bruges; ikke include",
        ),
    ],
)
def test_a_template_that_does_not_compile_or_uses_an_unknown_variable_is_refused(
    staff: Staff, title: str, body: str, field: str, message: str
) -> None:
    before = list(LetterTemplateVersion.objects.values_list("pk", "number", "body"))
    with translation.override("da"), pytest.raises(ValidationError) as refusal:
        save_template_version(
            kind=LetterKind.RECEIPT, title=title, body=body, by=staff.admin, now=NOW
        )
    assert list(refusal.value.message_dict) == [field]
    assert refusal.value.message_dict[field][0].startswith(message)
    assert list(LetterTemplateVersion.objects.values_list("pk", "number", "body")) == before


@pytest.mark.django_db
def test_loop_variables_are_known_inside_their_loop_only(staff: Staff) -> None:
    body = "{% for item in missing_items %}{{ item }} {{ forloop.counter }}{% endfor %}"
    version = save_template_version(
        kind=LetterKind.DEFICIENCY, title="Mangler", body=body, by=staff.admin, now=NOW
    )
    assert version.number == 2
    with pytest.raises(ValidationError):
        save_template_version(
            kind=LetterKind.DEFICIENCY, title="Mangler", body=body + "{{ item }}", by=None, now=NOW
        )
    assert LetterTemplate.objects.get(kind=LetterKind.DEFICIENCY).versions.count() == 2
