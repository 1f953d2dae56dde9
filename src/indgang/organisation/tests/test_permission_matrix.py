"""Need-to-know as a matrix: role × own or other department × resource × surface.

Four readers hold one role each in the building department (BTF): front line, caseworker,
manager (of the whole department) and administrator. The world has, in BTF and in the benefits
department (FAF), one citizen each with a contact (waiting in the triage queue), its thread and
an overdue deadline, all registered by staff of that department. Every surface that shows such
a resource is asked by every reader, and the answer's status and whether the resource's content
is in it are compared with the rules in docs/architecture.md ("Permissions").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from indgang.catalogue.constants import Channel
from indgang.conftest import CPR_A, CPR_B, ApiFor, Org, RegisterContact, Staff, staff_client
from indgang.contacts.models import Contact
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.deadlines.services import start_deadline
from indgang.organisation.constants import Role
from indgang.organisation.services import ensure_staff_user
from indgang.triage.models import QueueItem
from indgang.triage.services import triage_contact

ROLES = ("frontline", "caseworker", "manager", "admin")
SUMMARY = {"own": "Fjernvarmen i kælderen larmer", "other": "Spørger om grundvand ved boring"}
NAME = {"own": "Hanne Byg", "other": "Ole Ydelse"}


@dataclass(frozen=True)
class Held:
    """One department's citizen with their contact, its thread and an overdue deadline."""

    name: str
    cpr: str
    contact: Contact
    deadline: Deadline
    queue_item: QueueItem

    @property
    def party_id(self) -> int:
        assert self.contact.party_id is not None
        return self.contact.party_id


@dataclass(frozen=True)
class World:
    readers: dict[str, User]
    held: dict[str, Held]


def _hold(register: RegisterContact, by: User, cpr: str, side: str, tasks: dict[str, Any]) -> Held:
    now = timezone.now()
    contact = register(
        by=by,
        cpr=cpr,
        party_name=NAME[side],
        channel=Channel.PHONE,
        summary=SUMMARY[side],
        received_at=now - dt.timedelta(days=3),
    )
    with override_settings(TRIAGE_THRESHOLD=1.01):  # never sure: the contact waits in the queue
        queued = triage_contact(contact=contact, now=now)
    assert isinstance(queued, QueueItem)
    assert any(row["words"] for row in queued.suggested)  # the explanation to be withheld
    deadline = start_deadline(
        kind=DeadlineKind.CALLBACK,
        subject=contact,
        by=by,
        now=now,
        started_at=now - dt.timedelta(days=2),
        due_at=now - dt.timedelta(days=1),
    )
    return Held(
        name=NAME[side],
        cpr=cpr,
        contact=Contact.objects.get(pk=contact.pk),
        deadline=deadline,
        queue_item=queued,
    )


@pytest.fixture
def world(org: Org, staff: Staff, register: RegisterContact, tasks: dict[str, Any]) -> World:
    readers = {
        role: ensure_staff_user(
            username=f"matrix-{role}",
            password="unused-password-1",
            full_name=f"Matrix {role}",
            roles=[
                (
                    Role(role),
                    org.building_dept,
                    None if role == Role.MANAGER else org.building_unit,
                )
            ],
        )
        for role in ROLES
    }
    own_registrar = ensure_staff_user(
        username="byg-registrar",
        password="unused-password-1",
        full_name="Byg Registrar",
        roles=[(Role.CASEWORKER, org.building_dept, org.building_unit)],
    )
    return World(
        readers=readers,
        held={
            "own": _hold(register, own_registrar, CPR_A, "own", tasks),
            "other": _hold(register, staff.other_caseworker, CPR_B, "other", tasks),
        },
    )


Answer = tuple[int, str]  # status, body as text
Ask = Callable[[User, Held, ApiFor], Answer]


def _get_html(url: Callable[[Held], str]) -> Ask:
    def ask(user: User, held: Held, api_for: ApiFor) -> Answer:
        response = staff_client(user).get(url(held))
        return response.status_code, response.content.decode()

    return ask


def _get_api(
    url: Callable[[Held], str], params: Callable[[Held], dict[str, str]] | None = None
) -> Ask:
    def ask(user: User, held: Held, api_for: ApiFor) -> Answer:
        response = api_for(user).get(url(held), params(held) if params else None)
        return response.status_code, response.content.decode()

    return ask


def _find(user: User, held: Held, api_for: ApiFor) -> Answer:
    """The find page's result list for the citizen's name (htmx, as one types)."""
    response = staff_client(user).post("/parties/find/", {"q": held.name}, HTTP_HX_REQUEST="true")
    return response.status_code, response.content.decode()


def _queue_row(user: User, held: Held, api_for: ApiFor) -> Answer:
    """The triage queue page, cut to the row of this contact (empty when it is not shown)."""
    response = staff_client(user).get("/triage/")
    rows = re.findall(r"<tr>.*?</tr>", response.content.decode(), flags=re.DOTALL)
    mine = [row for row in rows if f"/triage/{held.queue_item.pk}/route/" in row]
    return response.status_code, "".join(mine)


def _route(user: User, held: Held, api_for: ApiFor) -> Answer:
    """Route the contact through the API: the answer carries triage's suggestions."""
    response = api_for(user).post(
        f"/api/v1/contacts/{held.contact.pk}/routing/",
        {"task": held.queue_item.suggested[0]["task"]},
        format="json",
    )
    return response.status_code, response.content.decode()


SURFACES: dict[tuple[str, str], tuple[Ask, Callable[[Held, str], bool]]] = {
    ("contact", "html list"): (
        _get_html(lambda h: "/contacts/"),
        lambda h, body: h.contact.summary in body,
    ),
    ("contact", "api list"): (
        _get_api(lambda h: "/api/v1/contacts/"),
        lambda h, body: h.contact.summary in body,
    ),
    ("contact", "api detail"): (
        _get_api(lambda h: f"/api/v1/contacts/{h.contact.pk}/"),
        lambda h, body: h.contact.summary in body,
    ),
    ("thread", "html detail"): (
        _get_html(lambda h: f"/threads/{h.contact.thread_id}/documents/"),
        lambda h, body: h.contact.thread.subject in body,
    ),
    ("journal", "api detail"): (
        _get_api(lambda h: f"/api/v1/threads/{h.contact.thread_id}/journal/"),
        lambda h, body: f'"thread":{h.contact.thread_id},"journal"' in body,
    ),
    ("party 360", "html detail"): (
        _get_html(lambda h: f"/parties/{h.party_id}/"),
        lambda h, body: h.contact.summary in body and h.name in body,
    ),
    ("party 360", "api detail"): (
        _get_api(lambda h: f"/api/v1/parties/{h.party_id}/overview/"),
        lambda h, body: h.contact.summary in body and h.name in body,
    ),
    ("party look-up", "api list"): (
        _get_api(
            lambda h: "/api/v1/parties/",
            lambda h: {"cpr": h.cpr},
        ),
        lambda h, body: h.name in body,
    ),
    ("party search", "api list"): (
        _get_api(lambda h: "/api/v1/parties/", lambda h: {"q": h.name}),
        lambda h, body: h.name in body,
    ),
    # Found by name, the party's 360 opens only to readers with a reason to see it.
    ("party search", "html list"): (
        _find,
        lambda h, body: h.name in body and f'href="/parties/{h.party_id}/' in body,
    ),
    ("deadline", "html list"): (
        _get_html(lambda h: "/deadlines/overdue/"),
        lambda h, body: f'href="/deadlines/{h.deadline.pk}/"' in body,
    ),
    ("deadline", "html detail"): (
        _get_html(lambda h: f"/deadlines/{h.deadline.pk}/"),
        lambda h, body: h.contact.summary in body and h.name in body,
    ),
    ("deadline", "api list"): (
        _get_api(lambda h: "/api/v1/deadlines/"),
        lambda h, body: f'"id":{h.deadline.pk},' in body,
    ),
    ("deadline", "api detail"): (
        _get_api(lambda h: f"/api/v1/deadlines/{h.deadline.pk}/"),
        lambda h, body: f'"id":{h.deadline.pk},' in body,
    ),
    ("access log", "html detail"): (
        _get_html(lambda h: f"/parties/{h.party_id}/access-log/"),
        lambda h, body: h.name in body,
    ),
    ("access log", "api detail"): (
        _get_api(lambda h: f"/api/v1/parties/{h.party_id}/access-log/"),
        lambda h, body: '"action":"viewed_access_log"' in body,
    ),
    ("triage explanation", "html list"): (
        _queue_row,
        lambda h, body: "På grund af:" in body,
    ),
    ("triage explanation", "api detail"): (
        _route,
        lambda h, body: all(w in body for w in h.queue_item.suggested[0]["words"]),
    ),
}


# Per surface: for the readers front line, caseworker, manager, administrator, first on the
# reader's own department's resource, then on the other department's. "200+" is 200 with the
# content, "200-" 200 without it; a bare status has no content by construction.
EXPECTED: dict[tuple[str, str], tuple[str, str]] = {
    ("contact", "html list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("contact", "api list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("contact", "api detail"): ("200+ 200+ 200+ 200+", "200- 404 404 200+"),
    ("thread", "html detail"): ("200+ 200+ 200+ 200+", "404 404 404 200+"),
    ("journal", "api detail"): ("200+ 200+ 200+ 200+", "404 404 404 200+"),
    ("party 360", "html detail"): ("200+ 200+ 200+ 200+", "403 403 403 200+"),
    ("party 360", "api detail"): ("200+ 200+ 200+ 200+", "403 403 403 200+"),
    ("party look-up", "api list"): ("200+ 200+ 200+ 200+", "200+ 200+ 200+ 200+"),
    ("party search", "api list"): ("200+ 200+ 200+ 200+", "200+ 200+ 200+ 200+"),
    ("party search", "html list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("deadline", "html list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("deadline", "html detail"): ("200+ 200+ 200+ 200+", "404 404 404 200+"),
    ("deadline", "api list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("deadline", "api detail"): ("200+ 200+ 200+ 200+", "404 404 404 200+"),
    ("access log", "html detail"): ("403 403 200+ 200+", "403 403 403 200+"),
    ("access log", "api detail"): ("403 403 200+ 200+", "403 403 403 200+"),
    ("triage explanation", "html list"): ("200+ 200+ 200+ 200+", "200- 200- 200- 200+"),
    ("triage explanation", "api detail"): ("201+ 201+ 201+ 201+", "201- 404 404 201+"),
}


def _cases() -> list[Any]:
    cases = []
    for (resource, surface), (own, other) in EXPECTED.items():
        for side, row in (("own", own), ("other", other)):
            for role, expected in zip(ROLES, row.split(), strict=True):
                cases.append(
                    pytest.param(
                        resource,
                        surface,
                        role,
                        side,
                        expected,
                        id=f"{resource}-{surface}-{role}-{side}".replace(" ", "_"),
                    )
                )
    return cases


@pytest.mark.parametrize(("resource", "surface", "role", "side", "expected"), _cases())
def test_need_to_know(
    world: World, api_for: ApiFor, resource: str, surface: str, role: str, side: str, expected: str
) -> None:
    ask, shows = SURFACES[resource, surface]
    held = world.held[side]

    status, body = ask(world.readers[role], held, api_for)

    assert status == int(expected[:3])
    if expected.endswith("+"):
        assert shows(held, body)
    else:
        assert not shows(held, body)
