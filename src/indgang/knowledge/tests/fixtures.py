from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from indgang.conftest import Org, Staff
from indgang.knowledge.models import Article
from indgang.knowledge.services import ArticleData, create_article
from indgang.organisation.selectors import get_scope

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MakeArticle = Callable[..., Article]


@pytest.fixture
def make_article(org: Org, staff: Staff) -> MakeArticle:
    """Create an article through the service; keyword arguments go to ArticleData."""

    def _make(by: User | None = None, now: dt.datetime | None = None, **fields: Any) -> Article:
        by = by or staff.caseworker
        now = now or timezone.now()
        fields.setdefault("title", "Carport: skal jeg søge byggetilladelse?")
        fields.setdefault("answer", "Carporte under 50 m² kræver kun anmeldelse.")
        fields.setdefault("owner_unit", org.building_unit)
        fields.setdefault("review_on", (now + dt.timedelta(days=365)).date())
        return create_article(data=ArticleData(**fields), by=by, scope=get_scope(user=by), now=now)

    return _make
