from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from indgang.common.api import FieldsBuiltOnce, Text
from indgang.overview.selectors import PartyHit
from indgang.parties.constants import Match
from indgang.parties.identifiers import InvalidIdentifierError, clean_cpr, clean_cvr
from indgang.parties.models import Party
from indgang.parties.selectors import SEARCH_LIMIT, SEARCH_MAX_CHARACTERS


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


class PartyHitSerializer(PartySerializer):
    """A party found: why (`match`, best first) and whether its 360 opens to the caller now."""

    match = serializers.ChoiceField(
        choices=[match.name.lower() for match in Match],
        read_only=True,
        help_text="number: full CPR or CVR; contact_detail: exact phone or e-mail; "
        "name_prefix: the name starts with the words; contains: every word starts a word of "
        "the name, address, e-mail, phone or CVR number.",
    )
    may_open = serializers.BooleanField(
        read_only=True,
        help_text="Whether `/parties/{id}/overview/` answers the caller: their departments "
        "dealt with the party, or they looked it up by full number within the hour.",
    )

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "match", "may_open"]
        read_only_fields = fields


def represent_hits(hits: Sequence[PartyHit]) -> list[dict[str, Any]]:
    """The hits as PartyHitSerializer documents them."""
    return [
        {
            **PartySerializer(hit.party).data,
            "match": hit.match.name.lower(),
            "may_open": hit.may_open,
        }
        for hit in hits
    ]


@extend_schema_serializer(many=False)  # one object, though the look-up is the list action
class PartyLookupResultSerializer(serializers.Serializer[Any]):
    """What a look-up answers: the party found, or none; a search (`q`) the best few."""

    count = serializers.IntegerField(min_value=0, max_value=SEARCH_LIMIT)
    results = PartyHitSerializer(many=True)
