from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import orjson
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from indgang.catalogue.constants import Channel, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.common.api import AwareDateTimeField, Text, shallow_fields
from indgang.contacts.constants import (
    MAX_DURATION_SECONDS,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Direction,
    Outcome,
)
from indgang.contacts.models import Contact, ContactChange, ContactNote, Thread
from indgang.contacts.selectors import (
    HANDLED_BY_USERNAME,
    KLE_TOPIC_NUMBER,
    get_task_for_new_contact,
    is_redacted,
    visible_threads,
)
from indgang.organisation.models import Unit
from indgang.organisation.requests import request_scope
from indgang.organisation.selectors import Scope
from indgang.parties.models import Party


class TaskField(serializers.PrimaryKeyRelatedField[Task]):
    """A task by id, as PrimaryKeyRelatedField takes it (same checks, same messages), found
    with its primary KLE topic in one query by get_task_for_new_contact.
    """

    def to_internal_value(self, data: Any) -> Task:
        try:
            if isinstance(data, bool):
                raise TypeError
            task_id = Task._meta.pk.get_prep_value(data)  # as the ORM reads pk=data
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        task = get_task_for_new_contact(task_id)
        if task is None:
            self.fail("does_not_exist", pk_value=data)
        return task


class VisibleThreadField(serializers.PrimaryKeyRelatedField[Thread]):
    """A thread by id among those the registrar may see; none without a request."""

    def get_queryset(self) -> QuerySet[Thread]:
        # Only called for a contact that names a thread: most start a new one.
        request = self.context.get("request")
        if request is None:
            return Thread.objects.none()
        return visible_threads(scope=request_scope(request))


class ContactCreateSerializer(serializers.Serializer[Any]):
    """A contact as a client sends it: the party by id, or found or created by CPR or CVR."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INBOUND)
    received_at = AwareDateTimeField()
    summary = Text(max_length=SUMMARY_MAX_LENGTH)
    party = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no citizen or company {pk_value}.")},
    )
    # Checked with python-stdnum once, by register_contact: its Danish message comes back under
    # the same key. Checking here too cost a registration 2 % of its instructions.
    cpr = Text(required=False, write_only=True, help_text="CPR number.")
    cvr = Text(required=False, write_only=True, help_text="CVR number.")
    name = Text(
        required=False,
        write_only=True,
        max_length=200,
        help_text="Name of a new party; without cpr or cvr, the contact's stated name.",
    )
    task = TaskField(
        queryset=Task.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Task {pk_value} is not in the task catalogue.")},
    )
    kle_topic = serializers.SlugRelatedField(
        slug_field="number",
        queryset=KleEntry.objects.filter(level=KleLevel.TOPIC),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("KLE topic {value} does not exist.")},
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unit {pk_value} does not exist.")},
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    thread = VisibleThreadField(
        queryset=Thread.objects.all(),  # for the schema; each request narrows it
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Thread {pk_value} does not exist.")},
    )
    duration_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_DURATION_SECONDS
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """Shallow copies of the declared fields; when validating a body, only of those it
        gives and those it must give or has a default for.

        DRF deep-copies every declared field for each serializer, querysets included: that was
        a fifth of the cost of registering a contact through the API. A contact names a few of
        the fourteen fields, and an optional field the body leaves out adds nothing to the
        validated data and raises no error: binding it for nothing cost 6 % of the instructions
        of a registration.
        The schema (no body) shows every field.
        """
        declared = self._declared_fields
        body = getattr(self, "initial_data", None)
        if isinstance(body, Mapping):
            declared = {
                name: field
                for name, field in declared.items()
                if name in body or field.required or field.default is not empty
            }
        return shallow_fields(declared)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in ("party", "cpr", "cvr") if attrs.get(key)]
        if len(given) > 1:
            raise serializers.ValidationError(
                {given[1]: _("Give the party as one of party, cpr or cvr, not several.")}
            )
        return attrs


class ContactSerializer(serializers.ModelSerializer[Contact]):
    """A contact as the register shows it; content is withheld where the reader routes only."""

    kle_topic: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    summary = serializers.SerializerMethodField()
    stated_name = serializers.SerializerMethodField(
        help_text="The name given without a CPR or CVR number; null where the summary is."
    )
    redacted = serializers.SerializerMethodField()
    handled_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "channel",
            "direction",
            "received_at",
            "party",
            "summary",
            "stated_name",
            "redacted",
            "task",
            "kle_topic",
            "unit",
            "department",
            "outcome",
            "thread",
            "duration_seconds",
            "handled_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_summary(self, contact: Contact) -> str | None:
        return None if self.get_redacted(contact) else contact.summary

    def get_stated_name(self, contact: Contact) -> str | None:
        return None if self.get_redacted(contact) else contact.stated_name

    def get_redacted(self, contact: Contact) -> bool:
        if self._scope is None:  # one reader per serializer: look the scope up once
            self._scope = request_scope(self.context["request"])
        return is_redacted(scope=self._scope, contact=contact)

    _scope: Scope | None = None

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        """The same fields and values as the generic ModelSerializer path (represent_contact)."""
        return represent_contact(instance, redacted=self.get_redacted(instance), zone=self.zone())

    def zone(self) -> dt.tzinfo:
        """The current time zone, looked up once per serializer (it is per request)."""
        if self._zone is None:
            self._zone = timezone.get_current_timezone()
        return self._zone

    _zone: dt.tzinfo | None = None


def represent_contact(contact: Contact, *, redacted: bool, zone: dt.tzinfo) -> dict[str, Any]:
    """A contact as ContactSerializer shows it, built directly; `zone` is the current time zone.

    Lists and the 360 show hundreds of contacts per request, and going through one DRF field
    object per value was most of their cost. The declared fields of ContactSerializer still
    define the schema; the tests check that both paths agree. A registration answers with this
    too, without a serializer: building one cost 3 % of its instructions (callgrind), as every
    DRF field built clears CPython's attribute cache for all serializer and field classes.
    """
    return {
        "id": contact.pk,
        "channel": _choice(contact.channel),
        "direction": _choice(contact.direction),
        "received_at": represent_datetime(contact.received_at, zone),
        "party": contact.party_id,
        "summary": None if redacted else contact.summary,
        "stated_name": None if redacted else contact.stated_name,
        "redacted": redacted,
        "task": contact.task_id,
        "kle_topic": _related(contact, KLE_TOPIC_NUMBER, "kle_topic", "number"),
        "unit": contact.unit_id,
        "department": contact.department_id,
        "outcome": _choice(contact.outcome),
        "thread": contact.thread_id,
        "duration_seconds": contact.duration_seconds,
        "handled_by": _related(contact, HANDLED_BY_USERNAME, "handled_by", "username"),
        "created_at": represent_datetime(contact.created_at, zone),
    }


_UNSET = object()


def _related(contact: Contact, annotation: str, relation: str, attribute: str) -> Any:
    """A related row's value: annotated on the contact by `with_api_fields`, else read through
    the relation (as DRF's SlugRelatedField does).
    """
    value = contact.__dict__.get(annotation, _UNSET)
    if value is not _UNSET:
        return value
    related = getattr(contact, relation)
    return None if related is None else getattr(related, attribute)


_DATETIME_FIELD = serializers.DateTimeField(read_only=True)
# Until 1972 some zones' UTC offsets had seconds (Africa/Monrovia's -00:44:30 was the last).
SECONDS_IN_OFFSETS_UNTIL = 1973
MINUTE = dt.timedelta(minutes=1)


def represent_datetime(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str | None:
    """As DRF's DateTimeField writes a datetime: ISO 8601 in the current time zone.

    `zone` is the current time zone, when the caller already has it. orjson writes the text
    DRF does (isoformat, with Z for +00:00) at a fraction of the cost: datetime.isoformat
    formats through C's printf, and a busy citizen's 360 spent 8 % of its instructions there.
    """
    if value is None:
        return None
    if value.utcoffset() is not None and api_settings.DATETIME_FORMAT.lower() == ISO_8601:
        try:
            local = value.astimezone(zone or timezone.get_current_timezone())
        except OverflowError:
            pass  # DRF's own field reports it
        else:
            if local.year < SECONDS_IN_OFFSETS_UNTIL and (local.utcoffset() or MINUTE) % MINUTE:
                # A local mean time (Copenhagen's +00:50:20 before 1894), which RFC 3339 and
                # its clients cannot write: the time in UTC instead.
                local = value.astimezone(dt.UTC)
            return orjson.dumps(local, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return _DATETIME_FIELD.to_representation(value)


def _choice(value: str | None) -> str | None:
    """As DRF's ChoiceField writes a stored choice: the plain string code."""
    return value if value in ("", None) else str(value)


class ContactUpdateSerializer(serializers.Serializer[Any]):
    """A PATCH of a contact: the fields given change, the rest keep their values. A task (and
    unit) re-routes the contact as triage's routing does."""

    summary = Text(required=False, max_length=SUMMARY_MAX_LENGTH)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    duration_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_DURATION_SECONDS
    )
    task = TaskField(
        queryset=Task.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("Task {pk_value} is not in the task catalogue.")},
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("Unit {pk_value} does not exist.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "unit" in attrs and "task" not in attrs:
            raise serializers.ValidationError({"task": _("Give the task with the unit.")})
        return attrs


class ContactChangeSerializer(serializers.ModelSerializer[ContactChange]):
    """One line of a contact's history: channel and outcome as codes, task and unit by name."""

    changed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ContactChange
        fields = ["id", "field", "old_value", "new_value", "changed_at", "changed_by"]
        read_only_fields = fields


class ContactNoteSerializer(serializers.ModelSerializer[ContactNote]):
    """An internal note on a contact: staff only, never shown to the citizen."""

    text = Text(max_length=NOTE_MAX_LENGTH)
    written_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ContactNote
        fields = ["id", "text", "written_at", "written_by"]
        read_only_fields = ["id", "written_at", "written_by"]
