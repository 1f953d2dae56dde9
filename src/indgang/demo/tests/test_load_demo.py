from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command

from indgang.cases.models import Case
from indgang.catalogue.models import Task
from indgang.conftest import KLE_FULL
from indgang.contacts.models import Contact, Thread
from indgang.organisation.models import Department, Unit
from indgang.parties.models import Party

pytestmark = pytest.mark.django_db


def test_demo_loads_a_populated_municipality_and_a_second_run_adds_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("load-demo", "--kle", str(KLE_FULL))
    counts = (
        Department.objects.count(),
        Unit.objects.count(),
        Task.objects.count(),
        Contact.objects.count(),
        Party.objects.count(),
    )
    call_command("load-demo", "--kle", str(KLE_FULL))

    output = capsys.readouterr().out
    assert counts == (10, 12, 138, 400, 87)  # 63 with contacts, 24 on cases
    states = Counter(Case.objects.values_list("state", flat=True))
    assert states == {
        "received": 1,
        "screening": 1,
        "deficiency_letter_sent": 1,
        "assessment": 4,
        "review": 1,
        "decided": 2,
        "closed": 1,
        "planned": 1,
        "follow_up": 1,
    }
    assert Contact.objects.count() == 400
    assert Thread.objects.count() < 400  # some contacts follow up on an earlier matter
    assert "KLE: 3457 emner, 2383 aktive" in output
    assert "skranke  / indgang-demo   Mette Jensen: Frontlinje (KBS)" in output
    assert not Task.objects.filter(unit__isnull=True).exists()
