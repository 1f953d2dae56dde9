from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from indgang.bookings.constants import MeetingType
from indgang.bookings.models import Booking, Visit
from indgang.cases.models import Case
from indgang.catalogue.models import KleKeyword, SummaryTemplate, Task
from indgang.conftest import KLE_FULL, OS2KLE
from indgang.contacts.models import Contact, Thread
from indgang.contacts.selectors import visible_contacts
from indgang.deadlines.constants import DeadlineStatus
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import visible_deadlines
from indgang.demo.queue import VISITS_PER_DAY
from indgang.organisation.models import Department, Unit
from indgang.organisation.selectors import get_scope
from indgang.parties.models import Party
from indgang.statistics.models import DayContactCount
from indgang.statistics.services import fold_new_contact_counts

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
    # The second run brings OS2KLE's keyword lists, as `make demo` does when the file is there.
    call_command("load-demo", "--kle", str(KLE_FULL), "--keywords", str(OS2KLE))

    output = capsys.readouterr().out
    assert "  KLE-emneord: 1943 af 2390 emner passer med emneplanen, 29769 ord." in output
    assert KleKeyword.objects.count() == 29769
    simulated = Contact.objects.filter(registered_by__username="simulering").count()
    # The demo queue's finished visits are contacts too (how many depends on the weekday and
    # the hour the demo loads); its visitors gave no CPR number, so they add no party.
    queue_contacts = Visit.objects.exclude(contact=None).count()
    assert queue_contacts >= 10 * VISITS_PER_DAY
    assert Visit.objects.filter(unit__name="Borgerservicecenter Nørrebro").count() >= queue_contacts
    # The personas' 400 random and 24 building contacts and a simulated year; 63 personas with
    # random contacts, PERSONAS_FOR_BUILDING new ones with building contacts, 24 on cases, and the
    # year's 405 synthetic citizens and 4 companies (12,000 contacts, 84 % of them identified,
    # 25 a citizen).
    assert counts == (
        10,
        12,
        138,
        424 + queue_contacts + simulated,
        87 + PERSONAS_FOR_BUILDING + 405 + 4,
    )
    assert 11_000 < simulated < 13_000  # 12,000 expected, in Poisson draws
    # The rollups count every contact, the simulated ones included.
    fold_new_contact_counts()
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
    # Four pre-application meetings: one summarised yesterday or before, one with its call due.
    meetings = Booking.objects.filter(slot__meeting_type=MeetingType.PRE_APPLICATION)
    assert meetings.count() == 4
    assert meetings.filter(summary_at__isnull=False).count() == 1
    assert (
        meetings.filter(material_arrived_at__isnull=False, confirmed_at__isnull=True).count() == 1
    )
    assert "Forhåndsdialogmøder: 4" in output
    assert_the_demo_fits_its_personas()


# The building caseworker's citizens of their own: 12 drawn, 11 of whom the draws made call.
PERSONAS_FOR_BUILDING = 11


def assert_the_demo_fits_its_personas() -> None:
    now = timezone.now()
    byg, leder = User.objects.get(username="byg"), User.objects.get(username="leder")
    # The building caseworker's list, newest first, shows building matters from the personas.
    newest = list(
        visible_contacts(scope=get_scope(user=byg))
        .order_by("-received_at")[:50]
        .values_list("task__title", "registered_by__username")
    )
    building = [
        (title, by) for title, by in newest if title in {"Byggesager", "BBR"} or "plan" in title
    ]
    assert len([by for _title, by in building if by in {"skranke", "byg"}]) >= 10
    assert (
        Contact.objects.filter(registered_by__username="byg", unit__name="Byggesager").count() == 8
    )
    # ... with the demo's deadlines on them, and cases.
    assert Deadline.objects.filter(owner=byg, status=DeadlineStatus.OPEN).exists()
    assert Case.objects.filter(caseworkers=byg).exists()
    # The manager has work overdue in their departments.
    overdue = visible_deadlines(scope=get_scope(user=leder), user=leder).filter(
        status=DeadlineStatus.OPEN, due_at__lt=now
    )
    assert overdue.exists()
