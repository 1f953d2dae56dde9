from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.db.models import QuerySet

from indgang.common.compiled import SHAPES, loaded, rows_of
from indgang.conftest import RegisterContact, Staff
from indgang.contacts.models import Contact
from indgang.contacts.selectors import list_contacts_for
from indgang.organisation.selectors import Scope, get_scope
from indgang.parties.selectors import find_citizen

CPRS = ["0101804107", "0202804104"]
COLUMNS = ("id", "party", "received_at", "awaiting_triage", "thread__subject")


def _built(scope: Scope) -> Any:
    def build(party: int) -> QuerySet[Contact, tuple[Any, ...]]:
        return list_contacts_for(scope=scope, party_id=party).values_list(*COLUMNS)[:10]

    return build


def _orm_rows(scope: Scope, party: int) -> list[tuple[Any, ...]]:
    return list(_built(scope)(party))


@pytest.fixture
def two_citizens(register: RegisterContact, staff: Staff) -> list[int]:
    for number, cpr in enumerate(CPRS * 2):
        register(cpr=cpr, summary=f"Henvendelse {number}")
    # One the caseworker's department handles, so scopes see different rows.
    register(cpr=CPRS[0], summary="Om en byggesag", by=staff.caseworker)
    return [party.pk for cpr in CPRS if (party := find_citizen(cpr=cpr)) is not None]


def test_each_value_gets_the_rows_the_queryset_gives_with_the_fields_converters(
    two_citizens: list[int], staff: Staff
) -> None:
    scope = get_scope(user=staff.frontline)
    for party in [*two_citizens, *two_citizens]:
        rows = rows_of(Contact, ("test", scope), _built(scope), party)

        assert rows == _orm_rows(scope, party)
        assert {row[1] for row in rows} == {party}
    first = rows_of(Contact, ("test", scope), _built(scope), two_citizens[0])
    assert len(first) == 3
    assert all(isinstance(row[2], dt.datetime) and row[3] is True for row in first)


def test_another_shape_is_compiled_for_itself(two_citizens: list[int], staff: Staff) -> None:
    front, byg = get_scope(user=staff.frontline), get_scope(user=staff.caseworker)

    assert len(rows_of(Contact, ("test", front), _built(front), two_citizens[0])) == 3
    seen_by_byg = rows_of(Contact, ("test", byg), _built(byg), two_citizens[0])

    assert seen_by_byg == _orm_rows(byg, two_citizens[0])
    assert len(seen_by_byg) == 1


def test_a_query_that_can_match_nothing_gives_no_rows_and_no_statement(
    two_citizens: list[int], django_assert_num_queries: Any
) -> None:
    nobody = Scope(
        roles=frozenset({"caseworker"}),
        department_ids=frozenset(),
        sees_all=False,
        routing_overview=False,
        home_department_id=None,
        home_unit_id=None,
    )
    with django_assert_num_queries(0):
        assert rows_of(Contact, ("test", nobody), _built(nobody), two_citizens[0]) == []
        assert rows_of(Contact, ("test", nobody), _built(nobody), two_citizens[1]) == []


def test_a_queryset_that_ignores_its_value_or_a_negative_value_is_refused(
    two_citizens: list[int], staff: Staff
) -> None:
    scope = get_scope(user=staff.frontline)

    with pytest.raises(ValueError, match="does not use the value"):
        rows_of(Contact, ("ignores",), lambda _party: Contact.objects.values_list("id"), 1)
    with pytest.raises(ValueError, match="non-negative"):
        rows_of(Contact, ("test", scope), _built(scope), -1)


def test_the_shapes_are_kept_on_the_connection_and_bounded(
    two_citizens: list[int], staff: Staff
) -> None:
    scope = get_scope(user=staff.frontline)
    for number in range(300):
        rows_of(Contact, ("bounded", number), _built(scope), two_citizens[0])

    shapes = vars(connections["default"])[SHAPES]
    assert ("bounded", 299) in shapes and ("bounded", 0) not in shapes
    assert len(shapes) == 256


def test_a_loaded_instance_is_what_from_db_makes_of_the_same_columns(staff: Staff) -> None:
    user = staff.caseworker
    names, values = ["username", "id"], [user.username, user.pk]

    made = loaded(User, names, values, "default")
    expected = User.from_db("default", ["id", "username"], [user.pk, user.username])

    assert {k: v for k, v in vars(made).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    assert (made._state.adding, made._state.db) == (False, "default")
    assert made.get_deferred_fields() == expected.get_deferred_fields()
    assert "email" in made.get_deferred_fields()
    assert made.email == user.email  # a deferred field loads on first use
    assert made == user
