from __future__ import annotations

import pytest

from indgang.common.paging import CappedPaginator
from indgang.conftest import RegisterContact
from indgang.contacts.models import Contact


@pytest.mark.parametrize(
    ("cap", "count", "capped", "pages"), [(3, 3, True, 2), (5, 5, False, 3), (9, 5, False, 3)]
)
def test_the_paginator_counts_no_further_than_its_cap(
    register: RegisterContact, cap: int, count: int, capped: bool, pages: int
) -> None:
    contacts = [register(summary=f"Nr. {number}") for number in range(5)]

    paginator = CappedPaginator(Contact.objects.order_by("pk"), 2, cap=cap)

    assert (paginator.count, paginator.capped, paginator.num_pages) == (count, capped, pages)
    assert list(paginator.page(1)) == contacts[:2]
