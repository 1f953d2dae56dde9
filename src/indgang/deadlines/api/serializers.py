from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indgang.common.api import AwareDateTimeField, Text, id_field
from indgang.common.subjects import name_of_reference
from indgang.deadlines.constants import DeadlineKind, StopEvent
from indgang.deadlines.models import Deadline, DeadlineChange, DeadlineNotice, Notification


def _subject_id(name: str) -> serializers.SerializerMethodField:
    return serializers.SerializerMethodField(
        help_text=f"The {name} the deadline runs on; null when it runs on another subject."
    )


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    contact = _subject_id("contact")
    thread = _subject_id("thread")
    case = _subject_id("case")

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "status",
            "contact",
            "thread",
            "case",
            "department",
            "unit",
            "owner",
            "started_at",
            "due_at",
            "remind_at",
            "suspended_at",
            "completed_at",
            "stopped_by",
        ]
        read_only_fields = fields

    def _id_if(self, deadline: Deadline, name: str) -> int | None:
        return deadline.subject_id if name_of_reference(deadline) == name else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_contact(self, deadline: Deadline) -> int | None:
        return self._id_if(deadline, "contact")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_thread(self, deadline: Deadline) -> int | None:
        return self._id_if(deadline, "thread")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, deadline: Deadline) -> int | None:
        return self._id_if(deadline, "case")


class DeadlineChangeSerializer(serializers.ModelSerializer[DeadlineChange]):
    by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = DeadlineChange
        fields = ["at", "action", "old_due_at", "new_due_at", "reason", "by"]
        read_only_fields = fields


class DeadlineNoticeSerializer(serializers.ModelSerializer[DeadlineNotice]):
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = DeadlineNotice
        fields = ["id", "sent_at", "reason", "expected_at", "recorded_by"]
        read_only_fields = fields


class DeadlineDetailSerializer(DeadlineSerializer):
    """One deadline with its history and the notices given to the requester."""

    changes = DeadlineChangeSerializer(many=True, read_only=True)
    notices = DeadlineNoticeSerializer(many=True, read_only=True)

    class Meta(DeadlineSerializer.Meta):
        fields = [*DeadlineSerializer.Meta.fields, "changes", "notices"]
        read_only_fields = fields


# The subjects a deadline may be started on through the API, and the message for one that does
# not exist or that the caller may not reach.
NEW_DEADLINE_SUBJECTS = {
    "contact": _("Contact {pk_value} does not exist."),
    "case": _("Case {pk_value} does not exist."),
}


class DeadlineCreateSerializer(serializers.Serializer[Any]):
    """Give exactly one of `contact` and `case`."""

    contact = id_field(required=False, help_text="A contact you see in full.")
    case = id_field(required=False, help_text="A case of your departments.")
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    started_at = AwareDateTimeField(required=False)
    due_at = AwareDateTimeField(required=False)
    length = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        error_messages={"does_not_exist": _("User {pk_value} does not exist.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in NEW_DEADLINE_SUBJECTS if name in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"contact": _("Give the contact or the case the deadline runs on (one of them).")}
            )
        return attrs


class ReasonSerializer(serializers.Serializer[Any]):
    reason = Text(max_length=2000)


class ResumeSerializer(serializers.Serializer[Any]):
    reason = Text(max_length=2000, required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer[Any]):
    due_at = AwareDateTimeField()
    reason = Text(max_length=2000)


class CompleteSerializer(serializers.Serializer[Any]):
    stopped_by = serializers.ChoiceField(choices=StopEvent.choices, required=False)


class NoticeSerializer(serializers.Serializer[Any]):
    reason = Text(max_length=2000)
    expected_at = AwareDateTimeField()


class DeadlineFilterSerializer(serializers.Serializer[Any]):
    contact = id_field(required=False)
    thread = id_field(required=False)
    case = id_field(required=False)
    owner = id_field(required=False)
    unit = id_field(required=False)
    kind = serializers.ChoiceField(choices=DeadlineKind.choices, required=False)
    status = serializers.ChoiceField(choices=["open", "suspended", "completed"], required=False)
    mine = serializers.BooleanField(required=False, default=False)


class OverdueCountSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    count = serializers.IntegerField()


class OverdueSummarySerializer(serializers.Serializer[Any]):
    unit = OverdueCountSerializer(many=True)
    owner = OverdueCountSerializer(many=True)
    kind = OverdueCountSerializer(many=True)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    kind = serializers.CharField(source="reminder.kind", read_only=True)
    deadline = serializers.IntegerField(source="reminder.deadline_id", read_only=True)
    due_at = serializers.DateTimeField(source="reminder.due_at", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "deadline", "due_at", "created_at", "read_at", "emailed_at"]
        read_only_fields = fields
