"""The statistics tests' fixtures: the knowledge tests' article (for the rollups' knowledge uses)
and the root conftest's two tasks, on KLE entries made here, since the statistics tests need
only a main group and a topic each (not the KLE file)."""

from __future__ import annotations

import pytest

from indgang.catalogue.constants import Channel, Depth, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.conftest import Org
from indgang.knowledge.tests.fixtures import make_article

__all__ = ["make_article", "tasks"]


def kle(number: str, level: KleLevel, title: str, parent: KleEntry | None = None) -> KleEntry:
    return KleEntry.objects.create(number=number, level=level, title=title, parent=parent)


@pytest.fixture
def tasks(org: Org) -> dict[str, Task]:
    """Heating (building department, KLE 13.03.20) and groundwater (benefits, KLE 13.02.17)."""
    supply = kle("13", KleLevel.MAIN_GROUP, "Forsyningsvirksomhed")
    heat = kle("13.03", KleLevel.GROUP, "Varmeforsyning", supply)
    water = kle("13.02", KleLevel.GROUP, "Vandforsyning", supply)
    heating = Task.objects.create(
        title="Tilslutning til fjernvarme",
        department=org.building_dept,
        unit=org.building_unit,
        depth=Depth.RULE_BASED,
        frontline_may_resolve=True,
        channels=[Channel.PHONE, Channel.SELFSERVICE],
    )
    heating.kle_topics.set([kle("13.03.20", KleLevel.TOPIC, "Tilslutning", heat)])
    groundwater = Task.objects.create(
        title="Bortledning af grundvand",
        department=org.benefits_dept,
        unit=org.benefits_unit,
        depth=Depth.DISCRETIONARY,
        frontline_may_resolve=False,
        channels=[Channel.EMAIL],
    )
    groundwater.kle_topics.set([kle("13.02.17", KleLevel.TOPIC, "Grundvand", water)])
    return {"heating": heating, "groundwater": groundwater}
