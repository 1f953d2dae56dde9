"""The journal of a thread is personal data: every read is logged, on the page and the API."""

from __future__ import annotations

from indgang.audit.models import AccessLogEntry
from indgang.conftest import CPR_A, ApiFor, RegisterContact, Staff, staff_client


def test_the_api_and_the_page_log_a_journal_read_alike(
    api_for: ApiFor, staff: Staff, register: RegisterContact
) -> None:
    contact = register(by=staff.caseworker, cpr=CPR_A, summary="Aktindsigt")
    api = api_for(staff.caseworker).get(f"/api/v1/threads/{contact.thread_id}/journal/")
    page = staff_client(staff.caseworker).get(f"/threads/{contact.thread_id}/documents/")

    assert (api.status_code, page.status_code) == (200, 200)
    assert list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "user__username", "party_id", "action", "purpose", "via"
        )
    ) == [
        ("byg", contact.party_id, "viewed_contact", "casework", "api"),
        ("byg", contact.party_id, "viewed_contact", "casework", "ui"),
    ]


def test_a_refused_journal_read_is_not_logged(
    api_for: ApiFor, staff: Staff, register: RegisterContact
) -> None:
    contact = register(by=staff.caseworker, cpr=CPR_A, summary="Aktindsigt")

    response = api_for(staff.other_caseworker).get(f"/api/v1/threads/{contact.thread_id}/journal/")

    assert response.status_code == 404
    assert AccessLogEntry.objects.count() == 0
