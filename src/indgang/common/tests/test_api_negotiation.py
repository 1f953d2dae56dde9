"""Content negotiation: the common Accept headers answered directly, the rest by DRF."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from indgang.conftest import ApiFor, Staff

URL = "/api/v1/contacts/"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_clients_that_accept_json_get_json(
    api_for: ApiFor, staff: Staff, accept: str | None
) -> None:
    client = api_for(staff.frontline)

    response = client.get(URL, headers={} if accept is None else {"Accept": accept})

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.json()["results"] == []


def test_weighted_accept_header_is_negotiated_by_drf(api_for: ApiFor, staff: Staff) -> None:
    response = api_for(staff.frontline).get(
        URL, HTTP_ACCEPT="text/html;q=0.9, application/json;q=0.8"
    )

    assert (response.status_code, response["Content-Type"]) == (200, "application/json")


def test_a_media_type_the_api_does_not_speak_is_refused(api_for: ApiFor, staff: Staff) -> None:
    response = api_for(staff.frontline).get(URL, HTTP_ACCEPT="text/html")

    assert response.status_code == 406


def test_schema_still_offers_yaml_and_json() -> None:
    client = APIClient()

    yaml = client.get("/api/schema/")
    json = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert json.json()["info"]["title"] == "Indgang API"
