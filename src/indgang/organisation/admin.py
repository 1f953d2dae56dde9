"""The organisation in Django's admin: the municipality's departments, units and staff roles.

Plain reference data without rules beyond its constraints, so the admin edits it directly.
"""

from __future__ import annotations

from django.contrib import admin

from indgang.organisation.models import Department, Municipality, RoleAssignment, Unit


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


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "department", "unit"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "department", "unit"]
