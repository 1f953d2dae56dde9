"""The roles screens in a real browser: an administrator finds a caseworker, gives them a role
and deactivates them. Elements are found by id, name, value and data, not by label text."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from indgang.conftest import Org, Staff
from indgang.contacts.tests.test_front_desk_browser import chromium, log_in, new_page
from indgang.organisation.models import RoleAssignment, RoleChange


@pytest.mark.browser
def test_an_administrator_gives_a_role_and_deactivates_a_user_in_the_browser(
    live_server: LiveServer,
    transactional_db: None,
    monkeypatch: pytest.MonkeyPatch,
    staff: Staff,
    org: Org,
) -> None:
    # Playwright's sync API keeps an event loop on this thread; the ORM must still run here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base_url = live_server.url
    member = staff.caseworker

    with chromium() as browser:
        page = new_page(browser, width=1280, height=900)
        log_in(page, base_url=base_url, username=staff.admin.username)

        page.locator("a[href='/organisation/staff/']").click()
        page.wait_for_url(f"{base_url}/organisation/staff/")
        expect(page.locator("#staff-rows tbody tr")).to_have_count(5)
        # The filter answers as one types (htmx), without leaving the page.
        page.locator("#staff-q").press_sequentially("byg")
        expect(page.locator("#staff-rows tbody tr")).to_have_count(1)
        assert page.url == f"{base_url}/organisation/staff/"

        page.locator(f"#staff-rows a[href='/organisation/staff/{member.pk}/']").click()
        page.wait_for_url(f"{base_url}/organisation/staff/{member.pk}/")
        page.locator("#id_role").select_option("manager")
        page.locator("#id_department").select_option(str(org.frontline_dept.pk))
        page.locator("#id_unit").select_option(str(org.contact_centre.pk))
        page.locator("form[action$='/roles/'] button[type=submit]").click()

        expect(page.locator(".messages")).to_have_text("Rollen er tilføjet.")
        expect(page.locator("#roles tr")).to_have_count(2)
        expect(page.locator("#roles")).to_contain_text("Leder")

        page.locator("form[action$='/active/'] button[type=submit]").click()
        expect(page.locator(".messages")).to_have_text("Brugeren er deaktiveret.")
        expect(page.locator("#member-status")).to_have_text("Deaktiveret")

    assert sorted(
        RoleAssignment.objects.filter(user=member).values_list("role", "department_id", "unit_id")
    ) == [
        ("caseworker", org.building_dept.pk, org.building_unit.pk),
        ("manager", org.frontline_dept.pk, org.contact_centre.pk),
    ]
    assert not User.objects.get(pk=member.pk).is_active
    assert list(RoleChange.objects.order_by("pk").values_list("action", "by_id")) == [
        ("assigned", staff.admin.pk),
        ("deactivated", staff.admin.pk),
    ]
