"""Staff absence in Django's admin: who is away when, which blocks the slots they take part in.

Slots are published and bookings made and cancelled through the services, which keep the rules
(opening hours, one active booking per slot, history); the admin does not edit them.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.bookings.models import StaffAbsence


@admin.register(StaffAbsence)
class StaffAbsenceAdmin(admin.ModelAdmin[StaffAbsence]):
    list_display = ["user", "starts_at", "ends_at"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["user"]
