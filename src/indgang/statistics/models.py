"""Goals and unit-cost tables: what the channel strategy aims at and what a contact costs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.contacts.constants import Channel
from indgang.organisation.models import Department
from indgang.statistics.constants import GoalMetric


class Goal(models.Model):
    """A goal for one metric, for the municipality (no department) or one department, from a
    date until the next goal of the same metric and department starts."""

    metric = models.CharField(_("metric"), max_length=40, choices=GoalMetric.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the goal of the whole municipality."),
    )
    target = models.DecimalField(
        _("target share"),
        max_digits=5,
        decimal_places=4,
        help_text=_("At least this share, between 0 and 1 (0.5 is 50 %)."),
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["metric", "department", "-valid_from"]
        constraints = [
            # Two constraints because a NULL department is distinct from every other in a unique
            # constraint on both databases.
            models.UniqueConstraint(
                fields=["metric", "valid_from"],
                condition=models.Q(department__isnull=True),
                name="goal_municipality_unique",
            ),
            models.UniqueConstraint(
                fields=["metric", "department", "valid_from"],
                condition=models.Q(department__isnull=False),
                name="goal_department_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0, target__lte=1), name="goal_target_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} ≥ {self.target:%}"


class UnitCostTable(models.Model):
    """A named price list: kroner per contact per channel. One table is in use."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    in_use = models.BooleanField(_("in use"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit-cost table")
        verbose_name_plural = _("unit-cost tables")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="unit_cost_table_one_in_use"
            )
        ]

    def __str__(self) -> str:
        return self.name


class UnitCost(models.Model):
    table = models.ForeignKey(UnitCostTable, on_delete=models.CASCADE, related_name="costs")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    kroner = models.DecimalField(_("kroner per contact"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("unit cost")
        verbose_name_plural = _("unit costs")
        ordering = ["table", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["table", "channel"], name="unit_cost_unique"),
            models.CheckConstraint(condition=models.Q(kroner__gte=0), name="unit_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.table}: {self.channel} {self.kroner} kr."
