"""A back-dated step files its letter but sends nothing: the party had that letter then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from indgang.cases.services import send_deficiency_letter
from indgang.cases.tests.conftest import Act, Receive
from indgang.conftest import Staff
from indgang.journal.models import Document
from indgang.letters.models import Letter, OutgoingMessage
from indgang.organisation.selectors import get_scope

pytestmark = pytest.mark.django_db


def test_a_back_dated_deficiency_letter_is_filed_and_not_sent(
    staff: Staff, receive: Receive, act: Act
) -> None:
    now = timezone.now()
    received = receive(received_at=now - dt.timedelta(days=30))
    case = act(received, "start_screening", by=staff.admin, at=now - dt.timedelta(days=20))
    assert list(OutgoingMessage.objects.values_list("letter__kind", flat=True)) == ["receipt"]

    send_deficiency_letter(
        case_id=case.pk,
        items=["Et situationsplan"],
        reply_by=timezone.localdate(now) + dt.timedelta(days=5),
        by=staff.admin,
        scope=get_scope(user=staff.admin),
        now=now,
        at=now - dt.timedelta(days=10),
    )

    letter = Letter.objects.get(kind="deficiency")
    assert letter.created_at == now - dt.timedelta(days=10)  # dated when the step took effect
    assert Document.objects.filter(subject_id=case.pk, title=letter.title).count() == 1
    assert list(OutgoingMessage.objects.values_list("letter__kind", flat=True)) == ["receipt"]


def test_the_same_step_now_is_sent(staff: Staff, receive: Receive, act: Act) -> None:
    now = timezone.now()
    case = act(receive(received_at=now - dt.timedelta(days=30)), "start_screening")

    send_deficiency_letter(
        case_id=case.pk,
        items=["Et situationsplan"],
        reply_by=timezone.localdate(now) + dt.timedelta(days=5),
        by=staff.caseworker,
        scope=get_scope(user=staff.caseworker),
        now=now,
    )

    assert sorted(OutgoingMessage.objects.values_list("letter__kind", flat=True)) == [
        "deficiency",
        "receipt",
    ]
