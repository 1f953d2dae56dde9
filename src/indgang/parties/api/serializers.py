from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from indgang.common.api import FieldsBuiltOnce, Text
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party


class IdentifierField(Text):
    """A CPR or CVR number as given, checked and cleaned once: its digits, or a Danish error."""

    def __init__(self, *, clean: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.clean = clean

    def to_internal_value(self, data: Any) -> str:
        try:
            return self.clean(super().to_internal_value(data))
        except InvalidIdentifierError as error:
            raise serializers.ValidationError(str(error)) from error


def cpr_field(**kwargs: Any) -> IdentifierField:
    return IdentifierField(clean=clean_cpr, **kwargs)


def cvr_field(**kwargs: Any) -> IdentifierField:
    return IdentifierField(clean=clean_cvr, **kwargs)


class PartySerializer(FieldsBuiltOnce, serializers.ModelSerializer[Party]):
    identifier = serializers.CharField(source="identifier_display", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "kind", "name", "identifier", "cvr", "email", "phone", "address"]
        read_only_fields = fields


class PartyLookupSerializer(serializers.Serializer[Any]):
    cpr = cpr_field(required=False)
    cvr = cvr_field(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("cpr")) == bool(attrs.get("cvr")):
            raise serializers.ValidationError(_("Give exactly one of cpr or cvr."))
        return attrs


@extend_schema_serializer(many=False)  # one object, though the look-up is the list action
class PartyLookupResultSerializer(serializers.Serializer[Any]):
    """What a look-up answers: the party found, or none (for the schema)."""

    count = serializers.IntegerField(min_value=0, max_value=1)
    results = PartySerializer(many=True)
