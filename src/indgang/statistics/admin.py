"""Self-service solutions in Django's admin: reference data an administrator registers before a
form system may send its events (statistics.funnels refuses events for unknown solutions)."""

from __future__ import annotations

from django.contrib import admin

from indgang.statistics.models import SelfServiceSolution


@admin.register(SelfServiceSolution)
class SelfServiceSolutionAdmin(admin.ModelAdmin[SelfServiceSolution]):
    list_display = ["name", "kind", "department", "external_system", "external_id", "is_active"]
    list_filter = ["kind", "department", "external_system", "is_active"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["task"]
