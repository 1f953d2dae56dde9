from __future__ import annotations

import pytest
from django.test import Client

from indgang.audit.models import AccessLogEntry


@pytest.mark.django_db
def test_the_health_check_answers_without_a_login_and_logs_nothing() -> None:
    response = Client().get("/health/")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]
    assert Client().post("/health/").status_code == 405
    assert AccessLogEntry.objects.count() == 0
