from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.cases.constants import (
    Area,
    CaseEventKind,
    CaseKind,
    CasePartyRole,
    CaseState,
    DecisionOutcome,
    ServiceNeedType,
)
from indgang.catalogue.models import KleEntry
from indgang.contacts.models import Contact
from indgang.organisation.models import Department, Unit
from indgang.parties.models import Party


class ServiceTargetCategory(models.Model):
    """A servicemål category: the calendar days from fully informed to decision."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    name = models.CharField(_("name"), max_length=200)
    target_days = models.PositiveIntegerField(_("target (calendar days)"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service target category")
        verbose_name_plural = _("service target categories")
        ordering = ["area", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.target_days})"


class AreaSettings(models.Model):
    """Per area: whether days waiting for the applicant count on the servicemål clock."""

    area = models.CharField(_("area"), max_length=12, choices=Area.choices, unique=True)
    waiting_counts = models.BooleanField(_("days waiting for the applicant count"), default=False)

    class Meta:
        verbose_name = _("area settings")
        verbose_name_plural = _("area settings")

    def __str__(self) -> str:
        return self.get_area_display()


class Case(models.Model):
    """An application, inspection or enforcement case in building, environment or livestock."""

    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="cases", verbose_name=_("applicant")
    )
    property_address = models.CharField(_("property address"), max_length=300, blank=True)
    cadastral_number = models.CharField(_("cadastral number"), max_length=100, blank=True)
    property_number = models.CharField(_("BBR/property number"), max_length=100, blank=True)
    kle_topic = models.ForeignKey(
        KleEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        ServiceTargetCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    caseworkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cases", verbose_name=_("caseworkers")
    )
    state = models.CharField(_("state"), max_length=24, choices=CaseState.choices)
    service_need_type = models.CharField(
        _("service-need type"), max_length=12, choices=ServiceNeedType.choices, blank=True
    )
    decision = models.CharField(
        _("decision"), max_length=30, choices=DecisionOutcome.choices, blank=True
    )
    received_at = models.DateTimeField(_("received"))
    fully_informed_at = models.DateTimeField(_("fully informed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    pre_meeting_on = models.DateField(_("pre-application meeting held"), null=True, blank=True)
    # The servicemål clock kept as clock.sort_key gives it, written by services.take_action in
    # the action's transaction, so that work lists sort and reports count in the database.
    clock_due_on = models.DateField(_("due date (clock running)"), null=True, editable=False)
    clock_stopped_on = models.DateField(_("clock stopped"), null=True, editable=False)
    clock_days_used = models.PositiveIntegerField(
        _("days used at the decision"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["department", "-received_at", "-id"]),
            models.Index(fields=["party", "-received_at", "-id"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["department", "decided_at"]),
            # The open cases, a small share of all: the report's "over target" count.
            models.Index(
                fields=["department", "clock_due_on"],
                condition=models.Q(decided_at__isnull=True),
                name="case_open_clock",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class CaseParty(models.Model):
    """Another party with a role on the case: an adviser acting for the applicant, etc."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="other_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(_("role"), max_length=20, choices=CasePartyRole.choices)

    class Meta:
        verbose_name = _("party on a case")
        verbose_name_plural = _("parties on cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "party", "role"], name="case_party_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.party_id}"


class ServiceNeedChange(models.Model):
    """Every change of a case's service-need type, with its reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_need_changes")
    from_type = models.CharField(max_length=12, choices=ServiceNeedType.choices, blank=True)
    to_type = models.CharField(max_length=12, choices=ServiceNeedType.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("service-need type change")
        verbose_name_plural = _("service-need type changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_type or '-'} → {self.to_type}"


class CaseEvent(models.Model):
    """The case's timeline: receipt, every transition and every change of type."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=CaseEventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    from_state = models.CharField(max_length=24, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=CaseState.choices, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at", "id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
