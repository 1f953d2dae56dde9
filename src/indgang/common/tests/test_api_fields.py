"""Serializer fields built once per class give each serializer its own bound fields and the
same output as DRF's own ModelSerializer."""

from typing import Any

import pytest
from rest_framework import serializers

from indgang.audit.constants import Purpose
from indgang.common.api import DeclaredFieldsShallow
from indgang.parties.api.serializers import PartySerializer
from indgang.parties.constants import PartyKind
from indgang.parties.models import Party


class GenericPartySerializer(serializers.ModelSerializer[Party]):
    """PartySerializer as DRF builds it for every instance."""

    identifier = serializers.CharField(source="identifier_display", read_only=True)

    class Meta:
        model = Party
        fields = PartySerializer.Meta.fields
        read_only_fields = fields


@pytest.mark.django_db
def test_fields_built_once_write_a_party_as_drf_builds_them() -> None:
    party = Party.objects.create(
        kind=PartyKind.COMPANY, name="Fjernvarme A/S", cvr="13585628", email="a@example.dk"
    )

    written: dict[str, Any] = dict(PartySerializer(party).data)

    assert written == dict(GenericPartySerializer(party).data)
    assert written["identifier"] == "CVR 13585628"


def test_each_serializer_binds_its_own_copies_of_the_fields() -> None:
    first, second = PartySerializer(), PartySerializer()

    assert first.fields.keys() == second.fields.keys() == set(PartySerializer.Meta.fields)
    for name in PartySerializer.Meta.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first
        assert second.fields[name].parent is second
        assert first.fields[name].field_name == name


def test_declared_fields_are_copied_shallowly_and_validate_as_drf_copies_them() -> None:
    class Plain(serializers.Serializer[Any]):
        purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.CONTACT)

    class Shallow(DeclaredFieldsShallow, Plain):
        pass

    for data, valid in (
        ({}, True),
        ({"purpose": "casework"}, True),
        ({"purpose": "spying"}, False),
    ):
        ours, drfs = Shallow(data=data), Plain(data=data)
        assert ours.is_valid() is drfs.is_valid() is valid
        assert (ours.errors, dict(ours.validated_data)) == (drfs.errors, dict(drfs.validated_data))
    first, second = Shallow().fields["purpose"], Shallow().fields["purpose"]
    assert first is not second and first.parent is not second.parent
    assert Shallow._declared_fields["purpose"].parent is None  # the class's own stays unbound
    assert first.choices is Shallow._declared_fields["purpose"].choices  # shared, not copied
