from __future__ import annotations

from pathlib import Path

import pytest

from indgang.catalogue.models import Task
from indgang.catalogue.services import CatalogueImportError, import_kle, import_task_catalogue
from indgang.conftest import KLE_FULL, KLE_SUBSET, Org
from indgang.demo.services import DATA

HEADER = "title,department,depth,frontline_may_resolve,kle,channels,self_service_url\n"


def test_copenhagen_task_list_maps_every_task_to_active_kle_topics(org: Org) -> None:
    import_kle(path=KLE_FULL)
    departments = {
        abbreviation: org.building_dept
        for abbreviation in ("BTF", "FAF", "KFF", "KSR", "KI", "MFF", "SUF", "UUF", "Stat")
    }

    count = import_task_catalogue(path=DATA / "copenhagen_tasks.csv", departments=departments)

    assert count == 138
    tasks = Task.objects.prefetch_related("kle_topics")
    assert all(task.kle_topics.exists() for task in tasks)
    assert all(topic.is_active for task in tasks for topic in task.kle_topics.all())
    building = Task.objects.get(title="Byggesager")
    assert (building.depth, building.frontline_may_resolve) == (3, False)


def test_reimport_updates_tasks_in_place(org: Org, tmp_path: Path) -> None:
    import_kle(path=KLE_SUBSET)
    path = tmp_path / "tasks.csv"
    path.write_text(HEADER + "Fjernvarme,BTF,2,true,13.03.20,phone;email,\n", encoding="utf-8")
    import_task_catalogue(path=path, departments={"BTF": org.building_dept})
    path.write_text(HEADER + "Fjernvarme,BTF,1,true,13.03.20;13.03.00,phone,\n", encoding="utf-8")

    import_task_catalogue(path=path, departments={"BTF": org.building_dept})

    task = Task.objects.get()
    assert (task.depth, task.channels) == (1, ["phone"])
    assert sorted(t.number for t in task.kle_topics.all()) == ["13.03.00", "13.03.20"]


def test_a_bad_line_stores_no_task_and_names_every_problem(org: Org, tmp_path: Path) -> None:
    import_kle(path=KLE_SUBSET)
    path = tmp_path / "tasks.csv"
    path.write_text(
        HEADER
        + "Fjernvarme,BTF,2,true,13.03.20,phone,\n"
        + "Rotter,XYZ,4,true,13.00.02;99.99.99,fax,\n",
        encoding="utf-8",
    )

    with pytest.raises(CatalogueImportError) as error:
        import_task_catalogue(path=path, departments={"BTF": org.building_dept})

    assert str(error.value) == (
        "Linje 3: ukendt forvaltning 'XYZ'; ukendt eller udgået KLE-emne '13.00.02'; "
        "ukendt eller udgået KLE-emne '99.99.99'; ukendt kanal 'fax'; "
        "dybden skal være 1, 2 eller 3."
    )
    assert Task.objects.count() == 0
