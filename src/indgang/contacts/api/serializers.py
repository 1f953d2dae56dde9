from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.constants import Channel, Direction, Outcome
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import is_redacted, visible_threads
from indgang.organisation.models import Unit
from indgang.organisation.requests import request_scope
from indgang.parties.api.serializers import validate_cpr_field, validate_cvr_field
from indgang.parties.identifiers import clean_cpr, clean_cvr
from indgang.parties.models import Party


class ContactCreateSerializer(serializers.Serializer[Any]):
    """A contact as a client sends it: the party by id, or found or created by CPR or CVR."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INBOUND)
    received_at = serializers.DateTimeField(
        error_messages={
            "invalid": _(
                "Give the time in ISO 8601 with time zone, e.g. 2026-03-02T09:15:00+01:00."
            )
        }
    )
    summary = serializers.CharField(max_length=10_000)
    party = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no citizen or company {pk_value}.")},
    )
    cpr = serializers.CharField(required=False, write_only=True, validators=[validate_cpr_field])
    cvr = serializers.CharField(required=False, write_only=True, validators=[validate_cvr_field])
    name = serializers.CharField(
        required=False, write_only=True, max_length=200, help_text="Name of a new party."
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.prefetch_related("kle_topics"),
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
    thread = serializers.PrimaryKeyRelatedField(
        # Narrowed per request to the threads the registrar may see; none without one.
        queryset=Thread.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Thread {pk_value} does not exist.")},
    )
    duration_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        thread = self.fields["thread"]
        if request is not None and isinstance(thread, serializers.PrimaryKeyRelatedField):
            thread.queryset = visible_threads(scope=request_scope(request))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in ("party", "cpr", "cvr") if attrs.get(key)]
        if len(given) > 1:
            raise serializers.ValidationError(
                {given[1]: _("Give the party as one of party, cpr or cvr, not several.")}
            )
        if attrs.get("cpr"):
            attrs["cpr"] = clean_cpr(attrs["cpr"])
        if attrs.get("cvr"):
            attrs["cvr"] = clean_cvr(attrs["cvr"])
        return attrs


class ContactSerializer(serializers.ModelSerializer[Contact]):
    """A contact as the register shows it; content is withheld where the reader routes only."""

    kle_topic: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    summary = serializers.SerializerMethodField()
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

    def get_redacted(self, contact: Contact) -> bool:
        return is_redacted(scope=request_scope(self.context["request"]), contact=contact)
