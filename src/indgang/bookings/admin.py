"""Staff absence and service-centre desks in Django's admin: who is away when, which blocks the

Slots are published and bookings made and cancelled through the services, which keep the rules
(opening hours, one active booking per slot, history); the admin does not edit them.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.bookings.models import Desk, StaffAbsence


@admin.register(StaffAbsence)
class StaffAbsenceAdmin(admin.ModelAdmin[StaffAbsence]):
    list_display = ["user", "starts_at", "ends_at"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["user"]


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin[Desk]):
    """The desks of a service centre: a unit with a desk in use has a queue."""

    list_display = ["name", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit__name"]
