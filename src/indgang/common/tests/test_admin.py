from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.test import Client

# Ours, not Django's own (users, groups, tokens): those Django tests itself.
REGISTERED = sorted(
    (
        model
        for model in apps.get_models()
        if admin.site.is_registered(model) and model.__module__.startswith("indgang.")
    ),
    key=lambda model: model._meta.label,
)


def test_the_admin_edits_the_organisation_and_the_reference_data() -> None:
    assert [model._meta.label for model in REGISTERED] == [
        "bookings.Desk",
        "bookings.MeetingChecklistItem",
        "bookings.StaffAbsence",
        "cases.AreaSettings",
        "cases.ChecklistTemplateItem",
        "cases.ComplaintGuidance",
        "cases.ServiceTargetCategory",
        "catalogue.MainGroupOwner",
        "catalogue.SummaryTemplate",
        "deadlines.DeadlineRule",
        "deadlines.MunicipalCalendar",
        "organisation.Department",
        "organisation.Municipality",
        "organisation.RoleAssignment",
        "organisation.RoleChange",
        "organisation.Unit",
        "statistics.Goal",
        "statistics.SelfServiceSolution",
    ]


# Shown, but changed only through services that record each change (the roles screen, the import).
READ_ONLY = {"organisation.RoleAssignment", "organisation.RoleChange"}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_registered_model_lists_and_adds_in_the_admin(
    administrator: Client, model: type[Model]
) -> None:
    pages = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"

    assert administrator.get(pages).status_code == 200
    assert administrator.get(f"{pages}add/").status_code == (
        403 if model._meta.label in READ_ONLY else 200
    )
