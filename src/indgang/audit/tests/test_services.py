import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.models import AccessLogEntry
from indgang.audit.services import log_reads
from indgang.common.rows import insert_each
from indgang.conftest import Staff
from indgang.parties.constants import PartyKind
from indgang.parties.models import Party

AT = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC)


def test_a_read_of_many_parties_logs_each_once_in_one_statement(
    staff: Staff, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    parties = Party.objects.bulk_create(
        Party(kind=PartyKind.COMPANY, name=f"Firma {n}") for n in range(600)
    )
    ids = [party.pk for party in parties]

    with django_assert_num_queries(1):
        log_reads(
            user=staff.frontline,
            party_ids=[*ids, ids[0], None, ids[-1]],
            action=AccessAction.LISTED_CONTACTS,
            purpose=Purpose.CASEWORK,
            via=Via.API,
            at=AT,
        )

    rows = AccessLogEntry.objects.order_by("party_id").values_list(
        "party_id", "user_id", "at", "action", "purpose", "via", "detail"
    )
    assert list(rows) == [
        (pk, staff.frontline.pk, AT, "listed_contacts", "casework", "api", "") for pk in ids
    ]


def test_a_column_the_model_lacks_is_refused_before_anything_is_written(staff: Staff) -> None:
    with pytest.raises(TypeError, match="AccessLogEntry has no column reason, user"):
        insert_each(AccessLogEntry, each="party_id", keys=[1], user=staff.frontline, reason="x")
    assert AccessLogEntry.objects.count() == 0
