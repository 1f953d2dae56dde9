"""Reads: template versions, the letters on a subject and a letter's PDF."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import QuerySet

from indgang.common.filecrypt import decrypt
from indgang.common.subjects import subject_of
from indgang.letters.models import Letter, LetterTemplate, LetterTemplateVersion


def current_version(*, kind: str) -> LetterTemplateVersion:
    """The newest version of the kind's template; LetterTemplateVersion.DoesNotExist if none."""
    return (
        LetterTemplateVersion.objects.select_related("template")
        .filter(template__kind=kind)
        .latest("number")
    )


def list_templates() -> list[tuple[LetterTemplate, LetterTemplateVersion | None]]:
    """Every template with its newest version, by kind."""
    templates = list(LetterTemplate.objects.order_by("kind"))
    newest = {
        version.template_id: version
        for version in LetterTemplateVersion.objects.order_by("template_id", "number")
    }
    return [(template, newest.get(template.pk)) for template in templates]


def list_versions(*, kind: str) -> QuerySet[LetterTemplateVersion]:
    """The kind's versions, newest first, with who saved them."""
    return LetterTemplateVersion.objects.filter(template__kind=kind).select_related(
        "template", "created_by"
    )


def over_lix_limit(lix: Decimal | float) -> bool:
    """Whether a score is above the configured plain-language limit."""
    return float(lix) > settings.LETTERS_LIX_LIMIT


def letters_for_subject(*, subject: models.Model) -> QuerySet[Letter]:
    """The letters about a subject the caller has authorised, newest first."""
    return Letter.objects.filter(**subject_of(subject)).select_related(
        "recipient", "template_version", "created_by"
    )


def read_letter_pdf(*, letter: Letter) -> bytes:
    """The letter's PDF, decrypted; DecryptionError if the file was altered."""
    with default_storage.open(letter.pdf.name, "rb") as sealed:
        return b"".join(decrypt(sealed.chunks()))
