from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from indgang.audit.models import AccessLogEntry
from indgang.contacts.api.serializers import ContactSerializer
from indgang.overview.selectors import ThreadView
from indgang.parties.api.serializers import PartySerializer


class ThreadViewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="thread.id")
    subject = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="thread.created_at")
    last_contact_at = serializers.DateTimeField(source="thread.last_contact_at")
    contacts = ContactSerializer(many=True)

    def get_subject(self, view: ThreadView) -> str | None:
        return view.thread.subject if view.subject_visible else None


class PartyOverviewSerializer(serializers.Serializer[Any]):
    party = PartySerializer()
    contact_count = serializers.IntegerField()
    channel_counts = serializers.DictField(child=serializers.IntegerField())
    truncated = serializers.BooleanField()
    threads = ThreadViewSerializer(many=True)


class AccessLogEntrySerializer(serializers.ModelSerializer[AccessLogEntry]):
    user: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = AccessLogEntry
        fields = ["id", "at", "user", "action", "purpose", "via", "detail"]
        read_only_fields = fields
