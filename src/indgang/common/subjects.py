"""The one generic reference to a subject: a contact, a thread, a case, later a booking.

Deadlines, journal documents, letters and access-log rows refer to what they are about through
Django's content types (the model) and the subject's primary key, so that those apps never import
the apps whose records they attach to. The app that owns a subject authorises it first and then
asks the lower app for what hangs on it, passing the subject itself (`subject_of` / `for_subject`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from indgang.catalogue.models import KleEntry
    from indgang.organisation.selectors import Scope
    from indgang.parties.models import Party


class SubjectReference(models.Model):
    """Abstract: the fields that point at one subject; subclasses index both fields."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        abstract = True


class OptionalSubjectReference(models.Model):
    """Abstract: as SubjectReference, for rows that may name no subject (an access-log row of
    a 360 read names only the party)."""

    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject type"),
    )
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
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


# --- The registry ----------------------------------------------------------------------------
# Each app that owns subjects registers them in its AppConfig.ready(); the lower apps look up
# what they need (the department a deadline copies, a label and link, the permission rule) here,
# batched by ids, without importing the owning app.


@dataclass(frozen=True)
class SubjectFacts:
    """What a lower app copies from a subject when it hangs something on it."""

    department_id: int | None
    unit_id: int | None
    task_id: int | None
    # When the matter came in: a deadline that runs from receipt starts here.
    received_at: dt.datetime
    # Who handles it, the first choice of owner for a deadline.
    handler: User | None
    kle_topic: KleEntry | None
    party_id: int | None
    # The subject that takes the journal number: a contact's thread, else the subject itself.
    journalised: models.Model


@dataclass(frozen=True)
class SubjectView:
    """A subject as a list shows it to one scope: withheld when the scope may not read it."""

    label: str
    url: str
    party: Party | None
    redacted: bool

    @property
    def party_id(self) -> int | None:
        return self.party.pk if self.party else None


class SubjectType(Protocol):
    """How one owning app answers for one of its models; every method delegates to its
    selectors, so a subject has one permission path wherever it is shown."""

    def facts(self, subject: Any) -> SubjectFacts: ...

    def get_for(self, *, scope: Scope, pk: int) -> models.Model:
        """The subject if the scope may hang things on it and read them; the model's
        DoesNotExist otherwise, as for one that does not exist."""
        ...

    def views(self, *, scope: Scope, ids: Collection[int]) -> dict[int, SubjectView]:
        """The subjects of these ids (missing ones left out), in at most a few queries."""
        ...


@dataclass(frozen=True)
class RegisteredSubject:
    name: str
    model: type[models.Model]
    type: SubjectType


_registry: dict[str, RegisteredSubject] = {}


def register_subject(*, name: str, model: type[models.Model], subject_type: SubjectType) -> None:
    """Register a model as a subject under a short name (used in URLs and API fields)."""
    _registry[name] = RegisteredSubject(name=name, model=model, type=subject_type)


def registered(name: str) -> RegisteredSubject:
    """The subject registered under `name`; LookupError if none is."""
    try:
        return _registry[name]
    except KeyError as error:
        raise LookupError(name) from error


def _registered_model(model: type[models.Model]) -> RegisteredSubject:
    model = model._meta.concrete_model or model
    for entry in _registry.values():
        if entry.model is model:
            return entry
    raise LookupError(model._meta.label)


def facts_of(subject: models.Model) -> SubjectFacts:
    """The registered facts of a subject (LookupError for a model that is no subject)."""
    return _registered_model(type(subject)).type.facts(subject)


def name_of(subject: models.Model) -> str:
    """The name the subject's model is registered under ("contact", "case", …)."""
    return _registered_model(type(subject)).name


def _registered_type(type_id: int) -> RegisteredSubject:
    model = ContentType.objects.get_for_id(type_id).model_class()
    assert model is not None  # noqa: S101 - a content type of an installed model
    return _registered_model(model)


def name_of_reference(reference: SubjectReference) -> str:
    """The registered name of the subject a row refers to (from the content-type cache)."""
    return _registered_type(reference.subject_type_id).name


def get_subject_for(*, scope: Scope, name: str, pk: int) -> models.Model:
    """The subject `name` #`pk` through its owner's permission rule; ObjectDoesNotExist if the
    scope may not reach it (or there is no such subject)."""
    return registered(name).type.get_for(scope=scope, pk=pk)


def describe_subjects(
    *, scope: Scope, references: Iterable[SubjectReference]
) -> dict[tuple[int, int], SubjectView]:
    """Label, link and redaction of each referenced subject, keyed by (subject_type_id,
    subject_id): one batch per subject type."""
    ids: dict[int, set[int]] = {}
    for reference in references:
        ids.setdefault(reference.subject_type_id, set()).add(reference.subject_id)
    found: dict[tuple[int, int], SubjectView] = {}
    for type_id, subject_ids in ids.items():
        views = _registered_type(type_id).type.views(scope=scope, ids=subject_ids)
        found.update({(type_id, pk): view for pk, view in views.items()})
    return found
