"""Fixtures shared by every app's tests: a small municipality, its staff, KLE and tasks.

Everything is made through the domain services, as the product itself would make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from indgang.catalogue.constants import Channel, Depth
from indgang.catalogue.models import KleEntry, Task
from indgang.catalogue.services import KleImportReport, import_kle
from indgang.common.caching import forget_remembered
from indgang.common.tests.migrating import migrate
from indgang.common.tests.workers import (
    CeleryWorkers,
    isolate_test_databases,
    new_queue,
    require_redis,
    worker_environment,
)
from indgang.contacts.models import Contact
from indgang.contacts.services import NewContact, register_contact
from indgang.organisation.constants import Role
from indgang.organisation.models import Department, Unit
from indgang.organisation.selectors import get_scope
from indgang.organisation.services import (
    ensure_department,
    ensure_municipality,
    ensure_staff_user,
    ensure_unit,
    issue_api_token,
)

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
KLE_FULL = SHARED_DATA / "kle" / "KLE-Emneplan_Version2-0_2015-08-01.xml"
KLE_SUBSET = SHARED_DATA / "kle" / "os2opgavefordeler_KLE-valid-data.xml"
OS2KLE = SHARED_DATA / "os2kle" / "OS2KLE.txt"
PASSWORD = "test-password-1"
# Fictitious, valid CPR numbers (python-stdnum accepts them: real dates of birth).
CPR_A = "0101901234"
CPR_B = "2402851237"
CVR_A = "13585490"


@dataclass(frozen=True)
class Org:
    frontline_dept: Department
    building_dept: Department
    benefits_dept: Department
    contact_centre: Unit
    building_unit: Unit
    benefits_unit: Unit


@dataclass(frozen=True)
class Staff:
    frontline: User
    caseworker: User
    other_caseworker: User
    manager: User
    admin: User


@pytest.fixture
def org(db: None) -> Org:
    municipality = ensure_municipality(code="999", name="Testkommune")
    frontline = ensure_department(
        municipality=municipality, abbreviation="KBS", name="Borgerservice"
    )
    building = ensure_department(
        municipality=municipality, abbreviation="BTF", name="Teknik og Miljø"
    )
    benefits = ensure_department(
        municipality=municipality, abbreviation="FAF", name="Familie og Arbejde"
    )
    return Org(
        frontline_dept=frontline,
        building_dept=building,
        benefits_dept=benefits,
        contact_centre=ensure_unit(department=frontline, name="Kontaktcenter", is_frontline=True),
        building_unit=ensure_unit(department=building, name="Byggesager"),
        benefits_unit=ensure_unit(department=benefits, name="Ydelser"),
    )


@pytest.fixture
def staff(org: Org) -> Staff:
    def user(username: str, role: Role, department: Department, unit: Unit | None) -> User:
        return ensure_staff_user(
            username=username,
            password=PASSWORD,
            full_name=username.title(),
            roles=[(role, department, unit)],
        )

    return Staff(
        frontline=user("front", Role.FRONTLINE, org.frontline_dept, org.contact_centre),
        caseworker=user("byg", Role.CASEWORKER, org.building_dept, org.building_unit),
        other_caseworker=user("ydelse", Role.CASEWORKER, org.benefits_dept, org.benefits_unit),
        manager=user("leder", Role.MANAGER, org.frontline_dept, org.contact_centre),
        admin=user("admin", Role.ADMIN, org.frontline_dept, org.contact_centre),
    )


@pytest.fixture
def kle_subset(db: None) -> KleImportReport:
    return import_kle(path=KLE_SUBSET)


@pytest.fixture
def tasks(org: Org, kle_subset: KleImportReport) -> dict[str, Task]:
    """Two tasks on topics of the KLE subset: one the front line resolves, one it forwards."""
    heating = Task.objects.create(
        title="Tilslutning til fjernvarme",
        department=org.building_dept,
        unit=org.building_unit,
        depth=Depth.RULE_BASED,
        frontline_may_resolve=True,
        channels=[Channel.PHONE, Channel.SELFSERVICE],
    )
    heating.kle_topics.set(KleEntry.objects.filter(number__in=["13.03.20", "13.03.00"]))
    groundwater = Task.objects.create(
        title="Bortledning af grundvand",
        department=org.benefits_dept,
        unit=org.benefits_unit,
        depth=Depth.DISCRETIONARY,
        frontline_may_resolve=False,
        channels=[Channel.EMAIL],
    )
    groundwater.kle_topics.set(KleEntry.objects.filter(number="13.02.17"))
    return {"heating": heating, "groundwater": groundwater}


RegisterContact = Callable[..., Contact]


@pytest.fixture
def register(staff: Staff) -> RegisterContact:
    """Register a contact through the service; keyword arguments go to NewContact."""

    def _register(by: User | None = None, **fields: Any) -> Contact:
        by = by or staff.frontline
        fields.setdefault("channel", Channel.PHONE)
        fields.setdefault("received_at", timezone.now() - dt.timedelta(minutes=5))
        fields.setdefault("summary", "Spørger om fjernvarme")
        return register_contact(
            new=NewContact(**fields),
            registered_by=by,
            registrar=get_scope(user=by),
            now=timezone.now(),
        )

    return _register


ApiFor = Callable[[User], APIClient]


def token_secret(user: User) -> str:
    """The secret of a new API token of the user's, valid for the default time."""
    return issue_api_token(user=user, name="test", expires_in_days=None, now=timezone.now()).secret


@pytest.fixture
def api_for() -> ApiFor:
    """An API client that authenticates as the user with a token, as integrators do."""

    def _api_for(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_secret(user)}")
        return client

    return _api_for


@pytest.fixture(autouse=True)
def forget_cached_answers() -> Iterator[None]:
    """Each test starts with nothing remembered: what one test's token or task was is not the
    next test's, whose rows may have the same ids."""
    forget_remembered()
    yield
    forget_remembered()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Test databases of this process's own: SQLite in a file that Celery workers and scheduler
    threads can open, PostgreSQL named for the process so simultaneous runs never collide."""
    isolate_test_databases()


@pytest.fixture
def celery_workers(
    request: pytest.FixtureRequest,
    transactional_db: None,
    settings: Settings,
    tmp_path: Path,
) -> Iterator[CeleryWorkers]:
    """Two real Celery worker processes on Redis, running this test's tasks on its database.

    - Mark the test `@pytest.mark.redis`. Without Redis the test fails; it is never skipped.
    - The test's `enqueue()` goes to them: the backend is `celery`, on a queue new for this
      test, so test runs sharing one Redis never take each other's tasks.
    - They open the test database (the test is transactional: they see what it committed) and
      run with INDGANG_TASK_BACKEND=celery, so tasks they enqueue (a sweep's chunks) are shared
      between them too. They import every app's `tasks` module and `indgang.common.tests.probe`.
    - `celery_workers.pids` are their process ids (what `os.getpid()` says inside a task);
      `celery_workers.wait_for(condition, timeout=60, what="…")` polls until an effect is there
      and fails with their logs otherwise; `celery_workers.start_beat(tick_seconds=1)` adds a
      `celery beat`.
    - Stopped at the end: warm shutdown, SIGKILL after 20 s; their queue is emptied.

    More workers or task modules: `@pytest.mark.parametrize("celery_workers",
    [{"count": 3, "include": ["module"]}], indirect=True)`.
    """
    options: dict[str, Any] = getattr(request, "param", {})
    require_redis(settings.CELERY_BROKER_URL)
    queue = new_queue()
    settings.TASK_BACKEND = "celery"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    workers = CeleryWorkers(
        queue=queue, directory=tmp_path, environment=worker_environment(queue=queue)
    )
    try:
        include = ["indgang.common.tests.probe", *options.get("include", [])]
        workers.start(count=options.get("count", 2), include=include)
        yield workers
    finally:
        workers.stop()


@pytest.fixture
def administrator(org: Org) -> Client:
    """A superuser logged in to Django's admin, in Danish."""
    User.objects.create_superuser("superbruger", "it@example.dk", PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    assert client.login(username="superbruger", password=PASSWORD)
    return client


def staff_client(user: User) -> Client:
    """A browser session signed in as the user (without the password check's hashing cost)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def back_and_forth() -> Iterator[None]:
    """Leave the schema at the latest migration whatever the test does."""
    yield
    migrate(None)


@pytest.fixture
def seed_data(db: None) -> None:
    """The servicemål categories, checklists, complaint guidance, letter templates, goals and
    unit-cost tables as their migrations seed them (each kept if present): a transactional test
    that ran before this one has flushed them."""
    import_module("indgang.cases.migrations.0002_default_categories").add_defaults(apps, None)
    import_module("indgang.cases.migrations.0005_checklists_and_complaint_guidance").add_defaults(
        apps, None
    )
    import_module("indgang.cases.migrations.0010_complaint_body_and_period").add_bodies(apps, None)
    import_module("indgang.letters.migrations.0002_default_templates").load_defaults(apps, None)
    import_module("indgang.statistics.migrations.0003_goals_and_unit_costs").add_defaults(
        apps, None
    )
    # A flush may leave rollup buckets behind (it empties tables in no fixed order): with the
    # register empty, every bucket is such a leftover.
    # By app label: the bottom apps' tests use this conftest and may not import statistics.
    if not Contact.objects.exists():
        for grain in (
            "DayContactCount",
            "UnitContactCount",
            "ContactCount",
            "UnitMonthContactCount",
            "TaskMonthContactCount",
            "NewContactCount",
        ):
            apps.get_model("statistics", grain).objects.all().delete()
