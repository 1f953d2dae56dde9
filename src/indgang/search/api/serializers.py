from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indgang.search.constants import DEFAULT_LIMIT, MAX_LIMIT, SearchAudience
from indgang.search.links import hit_url
from indgang.search.selectors import SearchHit


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        max_length=200,
        help_text=_("The words to search for, in Danish."),
        error_messages={
            "blank": _("Write what to search for."),
            "required": _("Write what to search for."),
        },
    )
    audience = serializers.ChoiceField(
        choices=SearchAudience.choices,
        required=False,
        help_text=_(
            "public: only public articles (for the citizen portal); staff (default): everything."
        ),
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)


class SearchTopicSerializer(serializers.Serializer[SearchHit]):
    id = serializers.IntegerField(source="object_id", help_text=_("The KLE entry id."))
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, hit: SearchHit) -> str:
        return hit_url(hit)


class SearchHitSerializer(SearchTopicSerializer):
    kind = serializers.CharField(help_text=_("article, task or kle"))
    id = serializers.IntegerField(
        source="object_id", help_text=_("The article, task or KLE entry id.")
    )
    snippet = serializers.CharField()
    score = serializers.FloatField()
    audience = serializers.ChoiceField(choices=SearchAudience.choices)
    guide_id = serializers.IntegerField(allow_null=True, help_text=_("The task's guide, if any."))
    topics = SearchTopicSerializer(
        many=True,
        help_text=_(
            "A KLE hit's other topics in the same group (the group, its general topic and its "
            "topics come as one hit)."
        ),
    )


class SearchResponseSerializer(serializers.Serializer[Any]):
    query = serializers.CharField()
    corrections = serializers.DictField(child=serializers.CharField())
    results = SearchHitSerializer(many=True)
