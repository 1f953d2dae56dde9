"""The organisation in Django's admin: the municipality's departments, units and staff roles.

Departments and units are plain reference data without rules beyond their constraints, so the
admin edits them directly. Role assignments and their history are shown read only.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from indgang.organisation.models import Department, Municipality, RoleAssignment, RoleChange, Unit

M = TypeVar("M", bound=Model)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["code", "name"]


class UnitInline(admin.TabularInline[Unit, Department]):
    model = Unit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["abbreviation", "name", "municipality"]
    search_fields = ["abbreviation", "name"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "department", "is_frontline"]
    list_filter = ["department", "is_frontline"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    """Shown, never changed here: these rows change only through services that record it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin[RoleAssignment]):
    """Roles change on the roles screen (/organisation/staff/) or by the import."""

    list_display = ["user", "role", "department", "unit"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin[RoleChange]):
    list_display = ["at", "user", "action", "role", "department", "unit", "by", "via"]
    list_filter = ["action", "via"]
    search_fields = ["user__username"]
