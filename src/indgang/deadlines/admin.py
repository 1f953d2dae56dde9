"""Deadline rules and the municipal calendar in Django's admin.

Both are reference data read when a clock starts or a due date is computed; they carry no rules
beyond their constraints, so the admin edits them directly. A change applies to clocks started
afterwards: running clocks keep the due dates they have.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.deadlines.models import ClosedDate, DeadlineRule, MunicipalCalendar


class ClosedDateInline(admin.TabularInline[ClosedDate, MunicipalCalendar]):
    model = ClosedDate
    extra = 1


@admin.register(MunicipalCalendar)
class MunicipalCalendarAdmin(admin.ModelAdmin[MunicipalCalendar]):
    list_display = ["municipality"]
    inlines = [ClosedDateInline]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin[DeadlineRule]):
    list_display = ["kind", "task", "municipality", "day_count", "length", "legal_basis"]
    list_filter = ["kind", "day_count"]
    search_fields = ["task__title", "legal_basis"]
    raw_id_fields = ["task"]
