from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from indgang.audit.constants import Purpose
from indgang.common.api import DeclaredFieldsShallow, query_of


class PurposeSerializer(DeclaredFieldsShallow, serializers.Serializer[Any]):
    """Why the caller reads personal data; written to the access log with the read."""

    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.CONTACT)


def purpose_of(request: Request) -> Purpose:
    incoming = PurposeSerializer(data=query_of(request))
    incoming.is_valid(raise_exception=True)
    return Purpose(incoming.validated_data["purpose"])
