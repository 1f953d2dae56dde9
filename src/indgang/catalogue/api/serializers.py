from __future__ import annotations

from typing import Any

from rest_framework import serializers

from indgang.catalogue.constants import KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.common.api import id_field
from indgang.organisation.models import Department


class KleEntrySerializer(serializers.ModelSerializer[KleEntry]):
    parent_number: serializers.SlugRelatedField[KleEntry] = serializers.SlugRelatedField(
        source="parent", slug_field="number", read_only=True
    )
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = KleEntry
        fields = [
            "number",
            "level",
            "title",
            "parent_number",
            "active",
            "guidance",
            "legal_references",
            "retention_code",
            "deletion_period",
            "created_on",
            "changed_on",
            "retired_on",
            "moved_on",
            "replaced_by",
        ]
        read_only_fields = fields


class KleFilterSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=KleLevel.choices, default=KleLevel.TOPIC)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    number = serializers.RegexField(
        r"^(\d{2}(\.\d{0,2}){0,2})?$", required=False, allow_blank=True, default=""
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class TaskSerializer(serializers.ModelSerializer[Task]):
    department: serializers.SlugRelatedField[Department] = serializers.SlugRelatedField(
        slug_field="abbreviation", read_only=True
    )
    kle_topics = serializers.SerializerMethodField()
    summary_templates = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "description",
            "department",
            "unit",
            "kle_topics",
            "depth",
            "frontline_may_resolve",
            "channels",
            "self_service_url",
            "summary_templates",
        ]
        read_only_fields = fields

    def get_kle_topics(self, task: Task) -> list[str]:
        return sorted(topic.number for topic in task.kle_topics.all())

    def get_summary_templates(self, task: Task) -> list[str]:
        """The ready summaries the front desk offers for the task, in its order."""
        return [template.text for template in task.summary_templates.all()]


class TaskFilterSerializer(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    department = id_field(required=False)
