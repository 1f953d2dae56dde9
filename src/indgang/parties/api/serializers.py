from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from indgang.common.api import FieldsBuiltOnce, Text
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.selectors import SEARCH_MAX_CHARACTERS


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
    q = Text(
        required=False,
        max_length=SEARCH_MAX_CHARACTERS,
        help_text=(
            "Find as one types: name, phone, e-mail, address, or a full CPR or CVR number; "
            "the best 20, ranked. Each party returned is written to the access log."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if sum(bool(attrs.get(name)) for name in ("cpr", "cvr", "q")) != 1:
            raise serializers.ValidationError(_("Give exactly one of cpr, cvr or q."))
        return attrs
