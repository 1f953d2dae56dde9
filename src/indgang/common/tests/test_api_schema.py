from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


def test_openapi_schema_generates_without_warnings_and_validates() -> None:
    # --fail-on-warn turns any unresolvable field or path into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


@pytest.mark.django_db
def test_schema_and_docs_are_public() -> None:
    api = APIClient()

    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    docs = api.get("/api/docs/")

    assert schema.status_code == 200
    assert "/api/v1/contacts/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
