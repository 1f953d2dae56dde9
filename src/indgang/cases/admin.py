"""Servicemål categories, the areas' settings, the checklists and the complaint guidance in
Django's admin.

All are reference data read when a clock or an inspection report's due date is computed; they
carry no rules beyond their constraints, so the admin edits them directly. A changed target or
waiting rule applies to every case of the category or area at once: the clock is computed on
each read, and the key stored on each case for sorting and reports (services.keep_clock_key) is
stored again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from indgang.cases.models import (
    AreaSettings,
    ChecklistTemplateItem,
    ComplaintGuidance,
    ServiceTargetCategory,
)
from indgang.cases.services import refresh_clock_keys


@admin.register(ServiceTargetCategory)
class ServiceTargetCategoryAdmin(admin.ModelAdmin[ServiceTargetCategory]):
    list_display = ["code", "area", "name", "target_days", "active"]
    list_filter = ["area", "active"]

    def save_model(
        self, request: HttpRequest, obj: ServiceTargetCategory, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "target_days" in form.changed_data:
            refresh_clock_keys(category_id=obj.pk)


@admin.register(AreaSettings)
class AreaSettingsAdmin(admin.ModelAdmin[AreaSettings]):
    list_display = ["area", "waiting_counts", "report_working_days"]

    def save_model(self, request: HttpRequest, obj: AreaSettings, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "waiting_counts" in form.changed_data:
            refresh_clock_keys(area=obj.area)


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
