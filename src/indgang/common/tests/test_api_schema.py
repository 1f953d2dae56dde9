from __future__ import annotations

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate
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


@pytest.mark.django_db
def test_the_schema_passes_openapi_spec_validator_and_documents_what_is_served() -> None:
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    validate(schema)  # e.g. no `minLength: 1` with a default of ''
    paths = schema["paths"]
    components = schema["components"]["schemas"]

    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404"} <= codes, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "400" in codes, (method, path)
            if operation.get("requestBody"):
                assert {"409", "413", "415"} <= codes, (method, path)
    access_log = paths["/api/v1/parties/{id}/access-log/"]["get"]["responses"]["200"]
    assert access_log["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedAccessLogEntryList"
    }
    history = paths["/api/v1/knowledge/articles/{id}/history/"]["get"]["responses"]["200"]
    assert history["content"]["application/json"]["schema"]["type"] == "array"
    lookup = paths["/api/v1/parties/"]["get"]["responses"]["200"]
    assert lookup["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PartyLookupResult"
    }
    contact = components["Contact"]["properties"]
    assert contact["summary"]["nullable"] is True
    assert contact["kle_topic"]["nullable"] is True
    assert {"$ref": "#/components/schemas/BlankEnum"} in contact["outcome"]["oneOf"]
    assert {"type": "string", "maxLength": 0} in components["Task"]["properties"][
        "self_service_url"
    ]["oneOf"]
