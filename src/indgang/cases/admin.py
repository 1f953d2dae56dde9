"""Servicemål categories, the areas' settings, the checklists and the complaint guidance in
Django's admin.

All are reference data read when a clock or an inspection report's due date is computed; they
carry no rules beyond their constraints, so the admin edits them directly. A changed target
applies to every case of the category at once: the clock is computed on each read, not stored.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.cases.models import (
    AreaSettings,
    ChecklistTemplateItem,
    ComplaintGuidance,
    ServiceTargetCategory,
)


@admin.register(ServiceTargetCategory)
class ServiceTargetCategoryAdmin(admin.ModelAdmin[ServiceTargetCategory]):
    list_display = ["code", "area", "name", "target_days", "active"]
    list_filter = ["area", "active"]


@admin.register(AreaSettings)
class AreaSettingsAdmin(admin.ModelAdmin[AreaSettings]):
    list_display = ["area", "waiting_counts", "report_working_days"]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin[ChecklistTemplateItem]):
    """A changed tip reaches the cases whose type is set after the change; a case keeps the
    text it was given."""

    list_display = ["text", "service_need_type", "case_kind", "position", "active"]
    list_filter = ["service_need_type", "case_kind", "active"]
    list_editable = ["position", "active"]


@admin.register(ComplaintGuidance)
class ComplaintGuidanceAdmin(admin.ModelAdmin[ComplaintGuidance]):
    list_display = ["area"]
