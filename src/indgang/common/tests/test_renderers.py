"""The API's JSON renderer writes exactly the bytes DRF's own JSONRenderer writes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from indgang.common.renderers import JSONRenderer

NUUK = ZoneInfo("America/Nuuk")
SERIALIZER = serializers.Serializer[Any]()


@pytest.mark.parametrize(
    "data",
    [
        {"id": 1, "summary": "Æblegrød på ø", "redacted": False, "task": None, "score": 0.25},
        ReturnDict({"a": ReturnList([1, 2], serializer=SERIALIZER)}, serializer=SERIALIZER),
        {"cpr": [ErrorDetail("CPR-nummeret er ugyldigt.", code="invalid")]},
        {"detail": gettext_lazy("Invalid token.")},
        {"at": dt.datetime(2026, 3, 2, 8, 15, tzinfo=dt.UTC)},
        {"at": dt.datetime(2026, 7, 2, 8, 15, 0, 120, tzinfo=ZoneInfo("Europe/Copenhagen"))},
        {"at": dt.datetime(1901, 12, 13, 20, 45, 52, tzinfo=NUUK)},  # an offset with seconds
        {"on": dt.date(2026, 12, 24), "time": dt.time(9, 30), "amount": Decimal("12.50")},
        {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "counts": {1: 2, 3: 4}},
        {"text": "line\u2028separator\u2029paragraph"},
        {"big": 2**70},  # beyond orjson: DRF's renderer writes it
        [],
        "plain",
    ],
)
def test_the_same_bytes_as_drf(data: Any) -> None:
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_an_indented_answer_and_no_data_as_drf_writes_them() -> None:
    data = {"a": [1, {"b": "c"}]}
    indented = "application/json; indent=4"

    assert JSONRenderer().render(data, indented) == renderers.JSONRenderer().render(data, indented)
    assert JSONRenderer().render(None) == b""
