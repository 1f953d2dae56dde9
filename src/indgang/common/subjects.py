"""The one generic reference to a subject: a contact, a thread, a case, later a booking.

Deadlines, journal documents, letters and access-log rows refer to what they are about through
Django's content types (the model) and the subject's primary key, so that those apps never import
the apps whose records they attach to. The app that owns a subject authorises it first and then
asks the lower app for what hangs on it, passing the subject itself (`subject_of` / `for_subject`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectReference(models.Model):
    """Abstract: the fields that point at one subject; subclasses index both fields."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        abstract = True


def subject_of(instance: models.Model) -> dict[str, Any]:
    """The field values that refer to this subject, for create() and filter()."""
    return {
        "subject_type": ContentType.objects.get_for_model(instance),
        "subject_id": instance.pk,
    }


def for_subjects(model: type[models.Model], ids: list[int]) -> dict[str, Any]:
    """The filter for any of these subjects of one model (the content type comes from a cache)."""
    return {
        "subject_type": ContentType.objects.get_for_model(model),
        "subject_id__in": ids,
    }
