"""Administrators' screens for letter templates: the list with LIX, the editor with a preview,
and each template's versions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.letters.constants import LetterKind
from indgang.letters.forms import TemplateVersionForm
from indgang.letters.models import LetterTemplateVersion
from indgang.letters.rendering import (
    check_template,
    example_context,
    render_source,
    score,
    variables_of,
)
from indgang.letters.selectors import current_version, list_templates, list_versions, over_lix_limit
from indgang.letters.services import save_template_version
from indgang.organisation.decorators import role_admin_view
from indgang.organisation.requests import acting_user


def _kind(kind: str) -> LetterKind:
    if kind not in LetterKind.values:
        raise Http404
    return LetterKind(kind)


@role_admin_view
def template_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (template, version, version is not None and over_lix_limit(version.lix))
        for template, version in list_templates()
    ]
    return render(request, "letters/template_list.html", {"rows": rows, "limit": _limit()})


@role_admin_view
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Show the current text; a valid post saves it as a new version."""
    letter_kind = _kind(kind)
    try:
        current: LetterTemplateVersion | None = current_version(kind=letter_kind)
    except LetterTemplateVersion.DoesNotExist:
        current = None
    if request.method == "POST":
        form = TemplateVersionForm(request.POST)
        if form.is_valid():
            try:
                version = save_template_version(
                    kind=letter_kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    by=acting_user(request),
                    now=timezone.now(),
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field, message)
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the template is saved.") % {"number": version.number},
                )
                if over_lix_limit(version.lix):
                    messages.warning(request, _lix_warning(float(version.lix)))
                return redirect("letter-template-edit", kind=letter_kind.value)
    else:
        initial = {"title": current.title, "body": current.body} if current else {}
        form = TemplateVersionForm(initial=initial)
    return render(
        request,
        "letters/template_edit.html",
        {
            "kind": letter_kind,
            "form": form,
            "current": current,
            "over_limit": current is not None and over_lix_limit(current.lix),
            "limit": _limit(),
            "variables": variables_of(letter_kind),
        },
    )


@role_admin_view
@require_POST
def template_preview(request: HttpRequest, kind: str) -> HttpResponse:
    """The posted text rendered with example data and its LIX, without saving (htmx)."""
    letter_kind = _kind(kind)
    form = TemplateVersionForm(request.POST)
    context: dict[str, object] = {"form": form, "limit": _limit()}
    if form.is_valid():
        try:
            check_template(kind=letter_kind, **form.cleaned_data)
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            data = example_context(letter_kind)
            lix = score(kind=letter_kind, body=form.cleaned_data["body"])
            context |= {
                "title": render_source(form.cleaned_data["title"], data),
                "body": render_source(form.cleaned_data["body"], data),
                "lix": lix,
                "warning": _lix_warning(lix) if over_lix_limit(lix) else "",
            }
    else:
        context["errors"] = [str(error) for errors in form.errors.values() for error in errors]
    return render(request, "letters/_preview.html", context)


@role_admin_view
def template_versions(request: HttpRequest, kind: str) -> HttpResponse:
    letter_kind = _kind(kind)
    versions = [
        (version, over_lix_limit(version.lix)) for version in list_versions(kind=letter_kind)
    ]
    return render(
        request,
        "letters/template_versions.html",
        {"kind": letter_kind, "versions": versions, "limit": _limit()},
    )


def _limit() -> float:
    return float(settings.LETTERS_LIX_LIMIT)


def _lix_warning(lix: float) -> str:
    return _(
        "The text's LIX is %(lix)s, above the limit of %(limit)s: use shorter sentences and words."
    ) % {"lix": number_format(lix, decimal_pos=1), "limit": f"{_limit():g}"}
