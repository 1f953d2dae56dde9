from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party


def validate_cpr_field(value: str) -> None:
    try:
        clean_cpr(value)
    except InvalidIdentifierError as error:
        raise serializers.ValidationError(str(error)) from error


def validate_cvr_field(value: str) -> None:
    try:
        clean_cvr(value)
    except InvalidIdentifierError as error:
        raise serializers.ValidationError(str(error)) from error


class PartySerializer(serializers.ModelSerializer[Party]):
    identifier = serializers.CharField(source="identifier_display", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "kind", "name", "identifier", "cvr", "email", "phone", "address"]
        read_only_fields = fields


class PartyLookupSerializer(serializers.Serializer[Any]):
    cpr = serializers.CharField(required=False, validators=[validate_cpr_field])
    cvr = serializers.CharField(required=False, validators=[validate_cvr_field])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("cpr")) == bool(attrs.get("cvr")):
            raise serializers.ValidationError(_("Give exactly one of cpr or cvr."))
        # The field validators only check; keep the cleaned digits.
        if attrs.get("cpr"):
            attrs["cpr"] = clean_cpr(attrs["cpr"])
        if attrs.get("cvr"):
            attrs["cvr"] = clean_cvr(attrs["cvr"])
        return attrs
