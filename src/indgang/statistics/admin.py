"""Goals and self-service solutions in Django's admin.

Goals are reference data the KPIs read, with no rules beyond their constraints (one goal per
metric, department and start date; a share from 0 to 1). A goal applies from its date until the
next goal of its metric and department starts. The unit-cost tables are edited on the costs page
(statistics.views), where putting one in use is a service. Self-service solutions are reference
data an administrator registers before a form system may send its events (statistics.funnels
refuses events for unknown solutions)."""

from __future__ import annotations

from django.contrib import admin

from indgang.statistics.models import Goal, SelfServiceSolution


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["metric", "department", "target", "valid_from", "source"]
    list_filter = ["metric", "department"]


@admin.register(SelfServiceSolution)
class SelfServiceSolutionAdmin(admin.ModelAdmin[SelfServiceSolution]):
    list_display = ["name", "kind", "department", "external_system", "external_id", "is_active"]
    list_filter = ["kind", "department", "external_system", "is_active"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["task"]
