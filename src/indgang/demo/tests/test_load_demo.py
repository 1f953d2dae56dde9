from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Sum

from indgang.cases.models import Case
from indgang.catalogue.models import SummaryTemplate, Task
from indgang.conftest import KLE_FULL
from indgang.contacts.models import Contact, Thread
from indgang.organisation.models import Department, Unit
from indgang.parties.models import Party
from indgang.statistics.models import DayContactCount

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
    simulated = Contact.objects.filter(registered_by__username="simulering").count()
    # The personas' 400 contacts and a simulated year; 63 personas with contacts, 24 on cases,
    # and the year's 405 synthetic citizens and 4 companies (12,000 contacts, 84 % of them
    # identified, 25 a citizen).
    assert counts == (10, 12, 138, 400 + simulated, 87 + 405 + 4)
    assert 11_000 < simulated < 13_000  # 12,000 expected, in Poisson draws
    # The rollups count every contact, the simulated ones included.
    assert DayContactCount.objects.aggregate(total=Sum("contacts"))["total"] == counts[3]
    # Synthetic citizens never meet the personas: no party has contacts from both.
    simulated_parties = set(
        Contact.objects.filter(registered_by__username="simulering").values_list("party", flat=True)
    )
    persona_parties = set(
        Contact.objects.exclude(registered_by__username="simulering").values_list(
            "party", flat=True
        )
    )
    assert simulated_parties & persona_parties <= {None}
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
    assert Contact.objects.count() == counts[3]
    assert Thread.objects.count() < counts[3]  # some contacts follow up on an earlier matter
    assert "KLE: 3457 emner, 2383 aktive" in output
    assert "skranke  / indgang-demo   Mette Jensen: Frontlinje (KBS)" in output
    assert not Task.objects.filter(unit__isnull=True).exists()
    # The front desk's summary templates, seeded once: five tasks, twelve templates.
    assert SummaryTemplate.objects.values("task").distinct().count() == 5
    assert SummaryTemplate.objects.count() == 12
