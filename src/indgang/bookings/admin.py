"""Staff absence, the meetings' checklists and service-centre desks in Django's admin: who is
away when, which blocks the slots they take part in; what each task's applicants send before a
pre-application meeting; the desks where a centre calls its queue.

Slots are published and bookings made and cancelled through the services, which keep the rules
(opening hours, one active booking per slot, history); the admin does not edit them.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.bookings.models import Desk, MeetingChecklistItem, StaffAbsence


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


@admin.register(MeetingChecklistItem)
class MeetingChecklistItemAdmin(admin.ModelAdmin[MeetingChecklistItem]):
    """Each task's material to send before its pre-application meeting; the receipt letter
    lists the active items in this order."""

    list_display = ["text", "task", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "task__department"]
    search_fields = ["text", "task__title"]
