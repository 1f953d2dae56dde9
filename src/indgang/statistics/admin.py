"""Goals in Django's admin: reference data the KPIs read, with no rules beyond their
constraints (one goal per metric, department and start date; a share from 0 to 1). A goal
applies from its date until the next goal of its metric and department starts. The unit-cost
tables are edited on the costs page (statistics.views), where putting one in use is a service."""

from __future__ import annotations

from django.contrib import admin

from indgang.statistics.models import Goal


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["metric", "department", "target", "valid_from", "source"]
    list_filter = ["metric", "department"]
