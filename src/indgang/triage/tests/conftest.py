"""A small catalogue for triage: the shared test tasks plus rats and building permits."""

from __future__ import annotations

import pytest

from indgang.catalogue.constants import Channel, Depth, KleLevel
from indgang.catalogue.models import KleEntry, Task
from indgang.conftest import Org


def _entry(number: str, level: KleLevel, title: str, guidance: str = "") -> KleEntry:
    parent = KleEntry.objects.filter(number=number[: {8: 5, 5: 2}.get(len(number), 0)]).first()
    return KleEntry.objects.create(
        number=number, level=level, parent=parent, title=title, guidance=guidance
    )


@pytest.fixture
def catalogue(org: Org, tasks: dict[str, Task]) -> dict[str, Task]:
    """Four tasks: heating and groundwater (shared fixture), rats and building permits."""
    _entry("09", KleLevel.MAIN_GROUP, "Miljøbeskyttelse")
    _entry("09.13", KleLevel.GROUP, "Skadedyr")
    rats_topic = _entry(
        "09.13.01",
        KleLevel.TOPIC,
        "Rottebekæmpelse",
        "• Kommunalbestyrelsen har ansvaret for gennemførelsen af en effektiv rottebekæmpelse.",
    )
    _entry("02", KleLevel.MAIN_GROUP, "Byggeri")
    _entry("02.34", KleLevel.GROUP, "Byggesagsbehandling")
    building_topic = _entry(
        "02.34.02",
        KleLevel.TOPIC,
        "Byggetilladelser",
        "• Emnet dækker ansøgning om byggetilladelse til nybyggeri, tilbygning, carport og garage.",
    )
    rats = Task.objects.create(
        title="Rotter",
        department=org.building_dept,
        unit=org.building_unit,
        depth=Depth.RULE_BASED,
        channels=[Channel.PHONE],
    )
    rats.kle_topics.set([rats_topic])
    building = Task.objects.create(
        title="Byggesager",
        department=org.building_dept,
        unit=org.building_unit,
        depth=Depth.DISCRETIONARY,
        channels=[Channel.SELFSERVICE],
    )
    building.kle_topics.set([building_topic])
    return {**tasks, "rats": rats, "building": building}
