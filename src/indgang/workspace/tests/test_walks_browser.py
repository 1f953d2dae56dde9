"""Each role's pages in a real browser, at a desk (1366 x 768) and on a phone (390 x 844).

A walk per role: its start page and its daily flows (the front line registers a call, finds a
citizen as it types, corrects a contact, notes on it, filters the list and opens the triage queue
and the knowledge base; the caseworker suspends a
deadline and opens the work list and a case; the manager reads the plots, the dashboard, the
overdue work and the goals; the administrator the API docs and Django's admin). On every page:
nothing wider than the window, a header of one line at the desk that does not balloon on the
phone, axe-core with no serious or critical violation, and a screenshot in var/screenshots for a
person to look at.

One chromium for the module and one login per role; the viewports change inside the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from indgang.cases.models import Case
from indgang.cases.tests.conftest import Receive
from indgang.catalogue.constants import Channel
from indgang.catalogue.models import Task
from indgang.common.tests.test_frame_browser import WIDER
from indgang.conftest import CPR_A, RegisterContact, Staff
from indgang.contacts.constants import Outcome
from indgang.contacts.models import Contact
from indgang.contacts.tests.test_front_desk_browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    screenshot,
)
from indgang.deadlines.constants import DeadlineKind
from indgang.deadlines.models import Deadline
from indgang.deadlines.services import start_deadline
from indgang.triage.services import triage_contact


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int
    # The header's height in px at most: Indgang's bar, or Django's on its admin.
    header: float


# At the desk, one line: 47.3 px (the name over role and unit), Django admin's 48 px.
DESK = Viewport(width=1366, height=768, header=48)
# On a phone the links wrap below the name: two rows (102 px), three for the administrator's six
# links (128 px), Django admin's 110 px. More would push the page's own heading off the screen.
PHONE = Viewport(width=390, height=844, header=130)


@dataclass(frozen=True)
class Scene:
    """What the walks act on: made through the services before the browser starts."""

    contact: Contact
    case: Case
    # One deadline per viewport's walk, so that each walk suspends an open one.
    deadlines: dict[int, Deadline]


@dataclass(frozen=True)
class Walk:
    page: Page
    base_url: str
    role: str
    viewport: Viewport

    def open(self, path: str, name: str) -> None:
        self.page.goto(f"{self.base_url}{path}")
        self.check(name)

    def check(self, name: str) -> None:
        """The page as it is now: no horizontal scroll, the header's height, axe-core."""
        page, where = self.page, (self.role, name, self.viewport.width)
        # After a form's answer, the stylesheet may still be loading: measure the styled page.
        page.wait_for_load_state()
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, (*where, page.evaluate(WIDER))
        header = page.locator("body > header, #header").first.bounding_box()
        assert header is not None, where
        assert header["height"] <= self.viewport.header, (*where, header["height"])
        screenshot(page, f"walk-{self.role}-{name}-{self.viewport.width}.png", full_page=True)
        assert_accessible(page)


Step = Callable[[Walk, Scene], None]


def opens(path: str, name: str, *, one: str) -> Step:
    """A step that opens a page, sees exactly one element `one` (the scene's row, panel, ...)
    and checks the page."""

    def step(walk: Walk, scene: Scene) -> None:
        walk.page.goto(f"{walk.base_url}{path}")
        expect(walk.page.locator(one)).to_have_count(1)
        walk.check(name)

    return step


def start_page(walk: Walk, scene: Scene) -> None:
    walk.open("/", "start")
    expect(walk.page.locator("#start-page")).to_be_visible()


def register_a_call(walk: Walk, scene: Scene) -> None:
    """The front desk: a known citizen calls, is found by CPR number and is helped at once."""
    walk.open("/front-desk/", "front-desk")
    page = walk.page
    page.locator("#id_identifier").press_sequentially(CPR_A)
    expect(page.locator("#party-result .party-card")).to_contain_text("Karen Jensen")
    page.locator("#id_summary").fill("Spørger om åbningstider i Borgerservice")
    page.locator("input[name=channel][value=phone]").check()
    page.locator(f"button[name=outcome][value={Outcome.RESOLVED_AT_FIRST_CONTACT.value}]").click()
    expect(page.locator(".messages")).to_have_text(
        "Henvendelsen er registreret: Løst ved første kontakt."
    )
    walk.check("front-desk-360")


def find_a_party(walk: Walk, scene: Scene) -> None:
    """Find a citizen by name, as one types: the hits come without a submit."""
    walk.open("/parties/find/", "find")
    walk.page.locator("#party-q").press_sequentially("karen jen")
    expect(walk.page.locator("#party-hits")).to_contain_text("Karen Jensen")
    walk.check("find-hits")


def edit_and_note_a_contact(walk: Walk, scene: Scene) -> None:
    """The contact page: correct the summary (a line of history), then add an internal note."""
    walk.open(f"/contacts/{scene.contact.pk}/", "contact")
    page = walk.page
    corrected = f"Spørger om fjernvarme til nyt hus ({walk.viewport.width} px)"
    page.locator("#id_summary").fill(corrected)
    page.locator("form.contact-edit button[type=submit]").click()
    expect(page.locator(".contact-facts .summary")).to_have_text(corrected)
    note = f"Ringer tilbage i morgen ({walk.viewport.width} px)"
    page.locator("#id_text").fill(note)
    page.locator("#id_text").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(".contact-page .note").filter(has_text=note)).to_have_count(1)
    walk.check("contact-edited")


def filter_the_contact_list(walk: Walk, scene: Scene) -> None:
    walk.open("/contacts/", "contacts")
    page = walk.page
    page.locator("#id_channel").select_option(Channel.PHONE.value)
    page.locator("#id_text").fill("nyt hus")
    page.locator("form.contact-filters button[type=submit]").click()
    expect(page.locator("table.contact-list tbody tr")).to_have_count(1)
    walk.check("contacts-filtered")


def suspend_a_deadline(walk: Walk, scene: Scene) -> None:
    """My deadlines, then one deadline's page: one action opened, given a reason and done."""
    walk.open("/deadlines/", "deadlines")
    page = walk.page
    deadline = scene.deadlines[walk.viewport.width]
    page.goto(f"{walk.base_url}/deadlines/{deadline.pk}/")
    page.locator("#action-suspend > summary").click()
    walk.check("deadline")
    page.locator("#id_suspend-reason").fill("Venter på tegninger fra borgeren")
    page.locator("#action-suspend button[type=submit]").click()
    expect(page.locator(".messages")).to_have_text("Fristen er opdateret.")
    walk.check("deadline-suspended")


def case_screen(walk: Walk, scene: Scene) -> None:
    walk.open(f"/cases/{scene.case.pk}/", "case")
    expect(walk.page.locator("#case-state")).to_be_visible()


def manager_start_page(walk: Walk, scene: Scene) -> None:
    start_page(walk, scene)
    expect(walk.page.locator("[data-chart] svg[role='img']").first).to_be_visible()


def api_docs(walk: Walk, scene: Scene) -> None:
    """The API docs page, once Swagger UI has drawn the operations from the schema."""
    walk.page.goto(f"{walk.base_url}/api/docs/")
    expect(walk.page.locator("#swagger-ui .opblock").first).to_be_visible()
    walk.check("api-docs")


# Each role's walk, by the login of the persona that has that role.
WALKS: dict[str, tuple[Step, ...]] = {
    "front": (
        start_page,
        register_a_call,
        find_a_party,
        edit_and_note_a_contact,
        filter_the_contact_list,
        opens(
            "/triage/", "triage", one="main table > tbody > tr:has-text('Spørgsmål til et brev')"
        ),
        opens("/knowledge/", "knowledge", one="form.filters[role=search]"),
    ),
    "byg": (
        start_page,
        suspend_a_deadline,
        opens("/cases/", "work-list", one="table.work-list > tbody > tr"),
        case_screen,
    ),
    "leder": (
        manager_start_page,
        opens("/statistik/", "dashboard", one="#panel-first-contact svg"),
        opens("/deadlines/overdue/", "overdue", one="section.overdue-person"),
        # Its tables are wider than a phone: they scroll sideways, reachable by keyboard.
        opens("/statistik/maal/", "goals", one="#goals-heading"),
    ),
    "admin": (
        start_page,
        api_docs,
        opens("/admin/", "admin", one="#content-main"),
    ),
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium for the module. Playwright's sync API keeps an event loop on this thread for
    as long, and the ORM must still run here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as browser:
            yield browser


@pytest.fixture
def scene(
    staff: Staff,
    seed_data: None,
    tasks: dict[str, Task],
    register: RegisterContact,
    receive: Receive,
) -> Scene:
    now = timezone.now()
    # The administrator may use Django's admin, as the demo's is.
    User.objects.filter(pk=staff.admin.pk).update(is_staff=True, is_superuser=True)
    # The front line's call about heating, which its walk corrects and notes on.
    contact = register(
        cpr=CPR_A, party_name="Karen Jensen", summary="Spørger om fjernvarme", task=tasks["heating"]
    )
    # A contact without a task that triage could not place: a row of the queue.
    triage_contact(contact=register(summary="Spørgsmål til et brev"), now=now)
    # Last month's and this month's contacts for the manager's plots, and a call-back promised
    # ten days ago: overdue.
    register(received_at=now - dt.timedelta(days=35), outcome=Outcome.RESOLVED_AT_FIRST_CONTACT)
    register(received_at=now - dt.timedelta(days=10), outcome=Outcome.CALLBACK_PROMISED)
    # The building caseworker's contact, deadlines and application.
    building = register(by=staff.caseworker, cpr=CPR_A, task=tasks["groundwater"])
    deadlines = {
        viewport.width: start_deadline(
            subject=building,
            kind=DeadlineKind.INQUIRY,
            by=staff.caseworker,
            owner=staff.caseworker,
            now=now,
            length=10,
        )
        for viewport in (DESK, PHONE)
    }
    return Scene(contact=contact, case=receive(), deadlines=deadlines)


@pytest.mark.browser
@pytest.mark.parametrize("role", list(WALKS))
def test_every_page_of_the_roles_walk_fits_keeps_its_header_and_passes_axe(
    browser: Browser,
    live_server: LiveServer,
    transactional_db: None,
    scene: Scene,
    role: str,
) -> None:
    page = new_page(browser, width=DESK.width, height=DESK.height)
    log_in(page, base_url=live_server.url, username=role, stay_on_start=True)
    for viewport in (DESK, PHONE):
        page.set_viewport_size({"width": viewport.width, "height": viewport.height})
        walk = Walk(page=page, base_url=live_server.url, role=role, viewport=viewport)
        for step in WALKS[role]:
            step(walk, scene)
    page.close()
