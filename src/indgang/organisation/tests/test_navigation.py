"""The staff header: name, roles and unit, and the links each role uses first, the rest under
"More"; every link opens for the user it is shown to."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from indgang.conftest import Staff, staff_client, token_secret
from indgang.organisation.models import ApiToken
from indgang.organisation.selectors import Identity, get_identity, get_scope

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.DOTALL)
MORE = re.compile(r'<details class="menu">.*?</details>', re.DOTALL)
HREF = re.compile(r'href="([^"]+)"')


def header_links(client: Client, path: str = "/contacts/") -> tuple[list[str], list[str]]:
    """The bar's links and the "More" menu's, in order, as the page shows them."""
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200
    nav = NAV.search(page.content.decode())
    assert nav is not None
    more = MORE.search(nav.group())
    bar = nav.group().replace(more.group(), "") if more else nav.group()
    return HREF.findall(bar), HREF.findall(more.group()) if more else []


def urls(*names: str) -> list[str]:
    return [reverse(name) for name in names]


EVERY_STAFF_LINK = {
    "front-desk",
    "queue-centres",
    "contact-list",
    "party-find",
    "triage-queue",
    "cases:work-list",
    "cases:my-cases",
    "bookings:meetings",
    "my-deadlines",
    "overdue-deadlines",
    "cases:servicemal-report",
    "knowledge-articles",
    "catalogue",
    "search",
    "api-tokens",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "bar", "more_than_staff"),
    [
        (
            "frontline",
            [
                "front-desk",
                "queue-centres",
                "contact-list",
                "triage-queue",
                "my-deadlines",
                "knowledge-articles",
            ],
            set(),
        ),
        (
            "caseworker",
            [
                "cases:work-list",
                "cases:my-cases",
                "bookings:meetings",
                "my-deadlines",
                "contact-list",
                "knowledge-articles",
            ],
            set(),
        ),
        (
            "manager",
            [
                "statistics:dashboard",
                "overdue-deadlines",
                "cases:servicemal-report",
                "contact-list",
                "knowledge-articles",
            ],
            {"statistics:dashboard"},
        ),
        (
            "admin",
            ["staff-list", "letter-template-list", "statistics:dashboard", "knowledge-articles"],
            {"statistics:dashboard", "staff-list", "letter-template-list", "api-docs"},
        ),
    ],
)
def test_each_role_sees_its_own_links_first_and_every_page_it_may_open(
    staff: Staff, role: str, bar: list[str], more_than_staff: set[str]
) -> None:
    user = {
        "frontline": staff.frontline,
        "caseworker": staff.caseworker,
        "manager": staff.manager,
        "admin": staff.admin,
    }[role]
    shown, more = header_links(staff_client(user))

    assert shown == urls(*bar)
    # Nothing twice, nothing left out: the rest of what the role may open is under "More".
    assert len(shown) + len(more) == len(set(shown + more))
    assert set(shown + more) == set(urls(*EVERY_STAFF_LINK | more_than_staff))
    assert [url for url in more if url in shown] == []


@pytest.mark.django_db
def test_every_link_in_the_header_opens_for_the_user_it_is_shown_to(staff: Staff) -> None:
    for user in (staff.frontline, staff.caseworker, staff.manager, staff.admin):
        client = staff_client(user)
        shown, more = header_links(client)
        for url in shown + more:
            assert client.get(url).status_code == 200, (user.username, url)


@pytest.mark.django_db
def test_the_api_docs_are_linked_for_administrators_and_token_holders_only(
    staff: Staff,
) -> None:
    docs = reverse("api-docs")
    client = staff_client(staff.frontline)
    assert docs not in sum(header_links(client), [])

    token_secret(staff.frontline)
    assert docs in header_links(client)[1]

    # A revoked token makes no integrator.
    ApiToken.objects.filter(user=staff.frontline).update(revoked_at=timezone.now())
    assert docs not in sum(header_links(client), [])
    assert docs in header_links(staff_client(staff.admin))[1]


@pytest.mark.django_db
def test_the_django_admin_is_linked_for_those_it_lets_in(staff: Staff) -> None:
    admin_url = reverse("admin:index")
    client = staff_client(staff.admin)
    assert admin_url not in sum(header_links(client), [])

    User.objects.filter(pk=staff.admin.pk).update(is_staff=True)
    shown, _more = header_links(client)
    assert shown[3] == admin_url
    assert client.get(admin_url).status_code == 200


@pytest.mark.django_db
def test_a_superuser_without_a_role_sees_the_administration_screens_only(staff: Staff) -> None:
    root = User.objects.create_superuser("rod", "it@example.dk", "x")
    shown, more = header_links(staff_client(root), reverse("staff-list"))

    assert (shown, more) == (urls("staff-list", "letter-template-list", "admin:index"), [])


@pytest.mark.django_db
def test_the_header_shows_name_roles_and_unit(staff: Staff) -> None:
    User.objects.filter(pk=staff.caseworker.pk).update(first_name="Lars", last_name="Nielsen")
    page = staff_client(staff.caseworker).get("/contacts/", HTTP_ACCEPT_LANGUAGE="da")
    text = page.content.decode()

    assert '<span class="identity-name">Lars Nielsen</span>' in text
    assert '<span class="identity-role">Sagsbehandler · Byggesager</span>' in text


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_bar_or_on_the_more_menu(staff: Staff) -> None:
    client = staff_client(staff.caseworker)
    work_list = client.get(reverse("cases:work-list")).content.decode()
    catalogue = client.get(reverse("catalogue")).content.decode()

    assert f'<a href="{reverse("cases:work-list")}" aria-current="page">' in work_list
    assert '<summary class="current">' not in work_list
    assert f'<a href="{reverse("catalogue")}" aria-current="page">' in catalogue
    assert '<summary class="current">' in catalogue


@pytest.mark.django_db
def test_the_identity_is_one_query(
    staff: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    scope = get_scope(user=staff.manager)
    now = timezone.now()
    token_secret(staff.manager)
    ApiToken.objects.filter(user=staff.manager).update(expires_at=now - dt.timedelta(seconds=1))

    with django_assert_num_queries(1):
        identity = get_identity(user=staff.manager, scope=scope, now=now)

    # An expired token makes no integrator either.
    assert identity == Identity(
        full_name="Leder",
        role_labels=("Leder",),
        unit_name="Kontaktcenter",
        department_name="Borgerservice",
        holds_api_token=False,
    )


@pytest.mark.django_db
def test_a_signed_out_page_has_no_menu_but_the_language_switch(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()

    assert 'class="main-nav"' not in page
    assert 'id="language"' in page


@pytest.mark.django_db
def test_the_api_docs_open_inside_the_danish_frame_with_a_way_back(staff: Staff) -> None:
    page = staff_client(staff.admin).get(reverse("api-docs"), HTTP_ACCEPT_LANGUAGE="da")
    text = page.content.decode()

    assert page.status_code == 200
    assert "<h1>API-dokumentation</h1>" in text
    assert '<a href="/">Tilbage til Indgang</a>' in text
    assert '<div id="swagger-ui" lang="en"></div>' in text
    # The admin's own header, with the docs marked as the page open.
    assert f'<a href="{reverse("api-docs")}" aria-current="page">' in text
