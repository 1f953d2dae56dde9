from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.catalogue.models import KleEntry, Task
from indgang.common.api import BoundedDateField, Text
from indgang.common.inputs import INT32_MAX
from indgang.knowledge.constants import MAX_ANSWER_LENGTH, Audience
from indgang.knowledge.models import Article, Guide, KnowledgeUse, Revision
from indgang.knowledge.services import ArticleData, GuideData, Link
from indgang.organisation.models import Unit


def _links_field(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.DictField(child=Text(max_length=1000)),
        help_text=_('Forms and self-service: [{"label": "…", "url": "https://…"}].'),
        **kwargs,
    )


class ArticleSerializer(serializers.ModelSerializer[Article]):
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True)
    links = _links_field(read_only=True)
    tasks = serializers.PrimaryKeyRelatedField[Task](many=True, read_only=True)
    kle_topics = serializers.SlugRelatedField[KleEntry](
        many=True, read_only=True, slug_field="number"
    )
    stale = serializers.SerializerMethodField(help_text=_("Past its review date."))

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "answer",
            "audience",
            "owner_unit",
            "owner_unit_name",
            "review_on",
            "links",
            "tasks",
            "kle_topics",
            "version",
            "updated_at",
            "stale",
        ]

    def get_stale(self, article: Article) -> bool:
        return article.review_on < timezone.localdate()


class ArticleWriteSerializer(serializers.Serializer[Any]):
    title = Text(max_length=300)
    answer = Text(max_length=MAX_ANSWER_LENGTH)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.STAFF)
    owner_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.select_related("department"),
        error_messages={"does_not_exist": _("Unit {pk_value} does not exist.")},
    )
    review_on = BoundedDateField()
    links = _links_field(required=False)
    tasks = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Task.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("Task {pk_value} is not in the task catalogue.")},
    )
    kle_topics = serializers.SlugRelatedField(
        many=True,
        slug_field="number",
        queryset=KleEntry.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("KLE topic {value} does not exist.")},
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=INT32_MAX,
        help_text=_("The version you edited; a change saved meanwhile by someone else is refused."),
    )

    def article_data(self) -> ArticleData:
        data = self.validated_data
        return ArticleData(
            title=data["title"],
            answer=data["answer"],
            audience=Audience(data["audience"]),
            owner_unit=data["owner_unit"],
            review_on=data["review_on"],
            links=[
                Link(label=link.get("label", ""), url=link.get("url", ""))
                for link in data.get("links", [])
            ],
            tasks=data.get("tasks", []),
            kle_topics=data.get("kle_topics", []),
        )


class RevisionSerializer(serializers.ModelSerializer[Revision]):
    changed_by = serializers.CharField(source="changed_by.username")

    class Meta:
        model = Revision
        fields = ["version", "changed_at", "changed_by", "changed_fields", "previous"]


class GuideSerializer(serializers.ModelSerializer[Guide]):
    class Meta:
        model = Guide
        fields = [
            "id",
            "task",
            "what_to_ask",
            "what_to_bring",
            "self_service",
            "when_to_forward",
            "forward_to",
            "version",
            "updated_at",
        ]


def _guide_part() -> Text:
    return Text(required=False, allow_blank=True, default="", max_length=MAX_ANSWER_LENGTH)


class GuideWriteSerializer(serializers.Serializer[Any]):
    what_to_ask = _guide_part()
    what_to_bring = _guide_part()
    self_service = _guide_part()
    when_to_forward = Text(
        required=False, allow_blank=True, default="", max_length=MAX_ANSWER_LENGTH
    )
    forward_to = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unit {pk_value} does not exist.")},
    )
    version = serializers.IntegerField(required=False, min_value=0, max_value=INT32_MAX)

    def guide_data(self) -> GuideData:
        data = self.validated_data
        return GuideData(
            what_to_ask=data["what_to_ask"],
            what_to_bring=data["what_to_bring"],
            self_service=data["self_service"],
            when_to_forward=data["when_to_forward"],
            forward_to=data.get("forward_to"),
        )


class KnowledgeUsedSerializer(serializers.Serializer[Any]):
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Article {pk_value} does not exist.")},
    )
    guide = serializers.PrimaryKeyRelatedField(
        queryset=Guide.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Guide {pk_value} does not exist.")},
    )


class KnowledgeUseSerializer(serializers.ModelSerializer[KnowledgeUse]):
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = KnowledgeUse
        fields = ["contact", "article", "guide", "recorded_at", "recorded_by"]


class ReportFilterSerializer(serializers.Serializer[Any]):
    received_from = BoundedDateField(
        required=False, help_text=_("First day (default: 30 days ago).")
    )
    received_to = BoundedDateField(
        required=False, help_text=_("Last day, inclusive (default: today).")
    )


class ResolutionRowSerializer(serializers.Serializer[Any]):
    task = serializers.IntegerField(source="task_id", allow_null=True)
    task_title = serializers.CharField()
    contacts = serializers.IntegerField()
    resolved_at_first_contact = serializers.IntegerField(source="resolved")
    resolved_with_knowledge = serializers.IntegerField()
    with_knowledge = serializers.IntegerField()
    resolved_share = serializers.FloatField(allow_null=True)
    knowledge_share = serializers.FloatField(
        allow_null=True,
        help_text=_("Of the contacts resolved at first contact, the share where knowledge helped."),
    )


class ReportSerializer(serializers.Serializer[Any]):
    received_from = serializers.DateField()
    received_to = serializers.DateField()
    tasks = ResolutionRowSerializer(many=True)
    total = ResolutionRowSerializer()
