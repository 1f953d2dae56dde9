"""The caseworker's case screen: what it shows, one permission path, refusals change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from indgang.audit.models import AccessLogEntry
from indgang.cases.models import Case, CaseEvent, ServiceNeedChange
from indgang.cases.services import (
    change_service_need_type,
)
from indgang.cases.tests.conftest import Act, Receive
from indgang.conftest import Staff, staff_client
from indgang.organisation.selectors import get_scope

pytestmark = pytest.mark.django_db


def set_type(case: Case, to_type: str, by: User, reason: str = "Nabo gør indsigelse") -> None:
    change_service_need_type(
        case_id=case.pk,
        to_type=to_type,
        reason=reason,
        by=by,
        scope=get_scope(user=by),
        now=timezone.now(),
    )


def post(user: User, case: Case, what: str, **data: Any) -> list[str]:
    """Post a form of the case screen; the messages the user sees next."""
    response = staff_client(user).post(f"/cases/{case.pk}/{what}/", data, follow=True)
    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    return [str(message) for message in response.context["messages"]]


def state_of(case: Case) -> tuple[str, str, int, int]:
    case.refresh_from_db()
    return (
        case.state,
        case.service_need_type,
        CaseEvent.objects.filter(case=case).count(),
        ServiceNeedChange.objects.filter(case=case).count(),
    )


def test_case_screen_shows_the_case_and_logs_the_applicants_data_as_read(
    receive: Receive, act: Act, staff: Staff
) -> None:
    case = receive(attachments=["Situationsplan"])
    set_type(case, "klar_parat", staff.caseworker, reason="Fyldestgørende ansøgning")
    act(case, "start_screening")
    act(case, "mark_fully_informed")

    response = staff_client(staff.caseworker).get(f"/cases/{case.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="fully_informed">Fyldestgørende oplyst<' in html
    assert 'data-type="klar_parat">Klar-parat<' in html
    assert "Fyldestgørende ansøgning" in html  # the reason in the type's history
    assert "Situationsplan" in html
    assert 'id="clock-used">0<' in html and 'id="clock-left">40<' in html
    assert 'id="action-start_assessment"' in html and 'id="action-start_hearing"' in html
    assert 'id="action-decide"' not in html
    assert re.findall(r'<tr data-kind="(\w+)" data-action="(\w*)">', html) == [
        ("received", ""),
        ("service_need_changed", ""),
        ("transition", "start_screening"),
        ("transition", "mark_fully_informed"),
    ]
    assert "Mark as fully informed" not in html and "Screening → Fyldestgørende oplyst" in html
    assert list(
        AccessLogEntry.objects.values_list(
            "party_id", "action", "purpose", "via", "subject_type__model", "subject_id"
        )
    ) == [(case.party_id, "viewed_case", "casework", "ui", "case", case.pk)]


def test_another_departments_case_is_a_404_and_nothing_is_logged_or_changed(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    before = state_of(case)
    outsider = staff_client(staff.other_caseworker)

    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    assert (
        outsider.post(f"/cases/{case.pk}/actions/", {"action": "start_screening"}).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/cases/{case.pk}/service-need/", {"service_need_type": "obs", "reason": "x"}
        ).status_code
        == 404
    )
    assert staff_client(staff.caseworker).get("/cases/999999/").status_code == 404
    assert state_of(case) == before
    assert AccessLogEntry.objects.count() == 0


def test_an_action_the_state_does_not_allow_is_refused_in_danish_and_changes_nothing(
    receive: Receive, staff: Staff
) -> None:
    case = receive()
    before = state_of(case)

    shown = post(
        staff.caseworker, case, "actions", action="decide", decision="permit", note="Begrundelse."
    )

    assert shown == ['Sagen har status "Modtaget"; herfra kan du: Start screening.']
    assert state_of(case) == before


def test_a_decision_asks_for_its_outcome(receive: Receive, act: Act, staff: Staff) -> None:
    case = receive()
    for step in ("start_screening", "mark_fully_informed", "start_assessment"):
        act(case, step)
    before = state_of(case)

    shown = post(
        staff.caseworker, case, "actions", action="decide", decision="", note="Begrundelse."
    )

    assert shown == ["Vælg afgørelsens udfald."]
    assert state_of(case) == before


def test_a_princip_case_shows_the_four_eyes_rule_and_refuses_a_decision_without_review(
    receive: Receive, act: Act, staff: Staff, second_caseworker: User
) -> None:
    case = receive()
    set_type(case, "princip", staff.caseworker)
    for step in ("start_screening", "mark_fully_informed", "start_assessment"):
        act(case, step)
    before = state_of(case)

    page = staff_client(staff.caseworker).get(f"/cases/{case.pk}/").content.decode()
    refused = post(
        staff.caseworker, case, "actions", action="decide", decision="permit", note="Begrundelse."
    )

    assert 'id="four-eyes"' in page
    assert refused == [
        "En Princip-sag skal kvalitetssikres af en anden sagsbehandler før afgørelsen."
    ]
    assert state_of(case) == before
    act(case, "submit_for_review")
    in_review = state_of(case)
    own = post(
        staff.caseworker, case, "actions", action="decide", decision="permit", note="Begrundelse."
    )
    assert own == [
        "Afgørelsen kræver en anden sagsbehandler: du sendte selv sagen til kvalitetssikring."
    ]
    assert state_of(case) == in_review
    assert post(
        second_caseworker, case, "actions", action="decide", decision="permit", note="Begrundelse."
    ) == ["Gemt."]
    assert state_of(case)[0] == "decided"


def test_the_type_changes_only_with_a_reason(receive: Receive, staff: Staff) -> None:
    case = receive()
    before = state_of(case)

    blank = post(staff.caseworker, case, "service-need", service_need_type="obs", reason="")
    unknown = post(staff.caseworker, case, "service-need", service_need_type="x", reason="Fordi")
    assert blank == ["Dette felt er påkrævet."]
    assert unknown == [
        "Marker en gyldig valgmulighed. x er ikke en af de tilgængelige valgmuligheder."
    ]
    assert state_of(case) == before

    done = post(staff.caseworker, case, "service-need", service_need_type="obs", reason="Klager")
    assert done == ["Gemt."]
    assert state_of(case) == ("received", "obs", before[2] + 1, 1)
