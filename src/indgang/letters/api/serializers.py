from __future__ import annotations

from typing import Any

from rest_framework import serializers

from indgang.common.api import Text
from indgang.letters.forms import BODY_MAX, TITLE_MAX
from indgang.letters.models import LetterTemplateVersion
from indgang.letters.selectors import over_lix_limit


class TemplateVersionSerializer(serializers.ModelSerializer[LetterTemplateVersion]):
    kind = serializers.CharField(source="template.kind", read_only=True)
    lix = serializers.FloatField(read_only=True)
    over_lix_limit = serializers.SerializerMethodField()
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = LetterTemplateVersion
        fields = [
            "kind",
            "number",
            "title",
            "body",
            "lix",
            "over_lix_limit",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_over_lix_limit(self, version: LetterTemplateVersion) -> bool:
        """Whether the LIX is above INDGANG_LETTERS_LIX_LIMIT."""
        return over_lix_limit(version.lix)


class TemplateVersionCreateSerializer(serializers.Serializer[Any]):
    title = Text(max_length=TITLE_MAX)
    body = Text(max_length=BODY_MAX, trim_whitespace=False)
