from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from indgang.common.api import BoundedDateField, Text, id_field
from indgang.journal.constants import DocumentDirection
from indgang.journal.models import Document, JournalEntry


class JournalEntrySerializer(serializers.ModelSerializer[JournalEntry]):
    kle_topic: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )

    class Meta:
        model = JournalEntry
        fields = ["number", "kind", "kle_topic", "journalised_at"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[Document]):
    registered_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    file = serializers.SerializerMethodField(
        help_text="Where the file is downloaded (GET, logged in the access log); null without one."
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "direction",
            "title",
            "dated",
            "file",
            "filename",
            "content_type",
            "size",
            "registered_at",
            "registered_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file(self, document: Document) -> str | None:
        if not document.file:
            return None
        return reverse(
            "api-document-content",
            kwargs={"document_id": document.pk},
            request=self.context.get("request"),
        )


class DocumentCreateSerializer(serializers.Serializer[Any]):
    direction = serializers.ChoiceField(choices=DocumentDirection.choices)
    title = Text(max_length=300)
    dated = BoundedDateField()
    file = serializers.FileField(required=False)


class ThreadJournalSerializer(serializers.Serializer[Any]):
    thread = id_field()
    journal = JournalEntrySerializer(allow_null=True)
    documents = DocumentSerializer(many=True)
