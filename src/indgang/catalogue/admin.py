from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from indgang.catalogue.models import MainGroupOwner, SummaryTemplate, Task


@admin.register(SummaryTemplate)
class SummaryTemplateAdmin(admin.ModelAdmin[SummaryTemplate]):
    """Summary templates feed neither search nor triage, so the admin may edit them directly."""

    list_display = ["text", "task", "position"]
    list_filter = ["task__department"]
    list_select_related = ["task__department"]
    search_fields = ["text", "task__title"]
    ordering = ["task__title", "position", "pk"]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "task":
            # A task's label names its department: one query for the whole list.
            kwargs["queryset"] = Task.objects.filter(is_active=True).select_related("department")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(MainGroupOwner)
class MainGroupOwnerAdmin(admin.ModelAdmin[MainGroupOwner]):
    """Which department triage names for a topic no task owns; read per suggestion, so a change
    shows at once."""

    list_display = ["main_group", "department"]
    list_select_related = ["main_group", "department"]
