from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.common.api import AwareDateTimeField, Text, id_field
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind, StopEvent
from indgang.deadlines.models import Deadline, DeadlineChange, DeadlineNotice, Notification


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "status",
            "contact",
            "thread",
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


class DeadlineCreateSerializer(serializers.Serializer[Any]):
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(),
        error_messages={"does_not_exist": _("Contact {pk_value} does not exist.")},
    )
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    started_at = AwareDateTimeField(required=False)
    due_at = AwareDateTimeField(required=False)
    length = serializers.IntegerField(required=False, min_value=1, max_value=3650)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        error_messages={"does_not_exist": _("User {pk_value} does not exist.")},
    )


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
