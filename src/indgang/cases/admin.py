"""Servicemål categories and the areas' settings in Django's admin.

Both are reference data read when a clock or an inspection report's due date is computed; they
carry no rules beyond their constraints, so the admin edits them directly. A changed target
applies to every case of the category at once: the clock is computed on each read, not stored.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.cases.models import AreaSettings, ServiceTargetCategory


@admin.register(ServiceTargetCategory)
class ServiceTargetCategoryAdmin(admin.ModelAdmin[ServiceTargetCategory]):
    list_display = ["code", "area", "name", "target_days", "active"]
    list_filter = ["area", "active"]


@admin.register(AreaSettings)
class AreaSettingsAdmin(admin.ModelAdmin[AreaSettings]):
    list_display = ["area", "waiting_counts", "report_working_days"]
