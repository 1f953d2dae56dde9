from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.bookings.models import Booking
from indgang.cases.constants import (
    DEFAULT_COMPLAINT_WEEKS,
    DEFAULT_REPORT_WORKING_DAYS,
    Area,
    CaseEventKind,
    CaseKind,
    CasePartyRole,
    CaseState,
    DecisionOutcome,
    HearingKind,
    NoticeMethod,
    ServiceNeedType,
)
from indgang.catalogue.models import KleEntry
from indgang.contacts.models import Contact
from indgang.deadlines.models import Deadline
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
    """Per area: whether days waiting for the applicant count on the servicemål clock, and the
    working days from an inspection visit to its report."""

    area = models.CharField(_("area"), max_length=12, choices=Area.choices, unique=True)
    waiting_counts = models.BooleanField(_("days waiting for the applicant count"), default=False)
    report_working_days = models.PositiveSmallIntegerField(
        _("working days from an inspection visit to its report"),
        default=DEFAULT_REPORT_WORKING_DAYS,
    )

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
    # The pre-application meeting (forhåndsdialog) the application grew out of.
    meeting = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pre-application meeting"),
    )
    # The servicemål clock kept as clock.sort_key gives it, written by services._move (every
    # step of every kind) in the step's transaction, so that work lists sort and reports count
    # in the database. Null for cases without a category: inspections and enforcement.
    clock_due_on = models.DateField(_("due date (clock running)"), null=True, editable=False)
    clock_stopped_on = models.DateField(_("clock stopped"), null=True, editable=False)
    clock_days_used = models.PositiveIntegerField(
        _("days used at the decision"), null=True, editable=False
    )
    deficiency_reply_by = models.DateField(_("applicant to reply by"), null=True, blank=True)
    decision_conditions = models.TextField(_("conditions"), blank=True)
    complaint_guidance = models.TextField(_("complaint guidance"), blank=True)

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


class ChecklistTemplateItem(models.Model):
    """One tip of the PIXI book for a service-need type: data an administrator edits."""

    service_need_type = models.CharField(
        _("service-need type"), max_length=12, choices=ServiceNeedType.choices
    )
    case_kind = models.CharField(
        _("case kind"),
        max_length=12,
        choices=CaseKind.choices,
        blank=True,
        help_text=_("Empty: every kind of case."),
    )
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template item")
        verbose_name_plural = _("checklist template items")
        ordering = ["service_need_type", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class CaseChecklistItem(models.Model):
    """A checklist item on one case, its text copied from the template when the type was set."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    template = models.ForeignKey(
        ChecklistTemplateItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service_need_type = models.CharField(max_length=12, choices=ServiceNeedType.choices)
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveIntegerField(_("position"), default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class DeficiencyItem(models.Model):
    """One thing a deficiency letter says is missing, and whether the applicant answered it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deficiency_items")
    text = models.CharField(_("what is missing"), max_length=1000)
    requested_at = models.DateTimeField(_("requested"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_note = models.TextField(_("answer note"), blank=True)
    waived_reason = models.TextField(_("reason for waiving"), blank=True)

    class Meta:
        verbose_name = _("missing item")
        verbose_name_plural = _("missing items")
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Hearing(models.Model):
    """A partshøring or nabohøring: the parties heard and the date they may reply by."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("kind"), max_length=12, choices=HearingKind.choices)
    started_at = models.DateTimeField(_("started"))
    reply_by = models.DateField(_("reply by"))
    parties = models.ManyToManyField(Party, related_name="hearings", verbose_name=_("parties"))

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"


class HearingReply(models.Model):
    """A heard party's reply; an objection feeds the service-need suggestion."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="replies")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received"))
    objects_to = models.BooleanField(_("objects"))
    summary = models.TextField(_("summary"))

    class Meta:
        verbose_name = _("hearing reply")
        verbose_name_plural = _("hearing replies")
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.party_id} {self.received_at:%Y-%m-%d}"


class ComplaintGuidance(models.Model):
    """The complaint guidance (klagevejledning) printed with every decision in an area."""

    area = models.CharField(_("area"), max_length=12, choices=Area.choices, unique=True)
    text = models.TextField(_("text"))
    # The board a complaint goes to, and its period: 4 weeks is usual for building, planning
    # and environment; an area where the law says otherwise changes it here.
    body = models.CharField(_("complaint body"), max_length=200)
    period_weeks = models.PositiveSmallIntegerField(
        _("complaint period (weeks)"), default=DEFAULT_COMPLAINT_WEEKS
    )

    class Meta:
        verbose_name = _("complaint guidance")
        verbose_name_plural = _("complaint guidance")

    def __str__(self) -> str:
        return self.get_area_display()


class CaseContact(models.Model):
    """A contact linked to a case; many contacts per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_links")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="case_links")
    linked_at = models.DateTimeField(_("linked"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contact on a case")
        verbose_name_plural = _("contacts on cases")
        ordering = ["linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "contact"], name="case_contact")]

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.contact_id}"


class Inspection(models.Model):
    """An inspection case's own facts: the notice, the visit with the staff present, the report."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="inspection")
    planned_for = models.DateField(_("planned for"))
    notice_method = models.CharField(
        _("notice"), max_length=8, choices=NoticeMethod.choices, blank=True
    )
    agenda = models.TextField(_("agenda"), blank=True)
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff present")
    )
    visited_at = models.DateTimeField(_("visited"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    report_sent_at = models.DateTimeField(_("report sent"), null=True, blank=True)
    # The clock from the visit to the report; sending the report stops it.
    report_deadline = models.OneToOneField(
        Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.case} {self.planned_for}"


class Indskaerpelse(models.Model):
    """An indskærpelse given at an inspection: its cause, what is required and by when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="indskaerpelser")
    cause = models.TextField(_("cause"))
    requirement = models.TextField(_("requirement"))
    deadline = models.DateField(_("remediation deadline"))
    given_at = models.DateTimeField(_("given"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    remedied_at = models.DateTimeField(_("remedied"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    # The clock to the remediation date; remedying it, or starting enforcement, stops it.
    remediation_deadline = models.OneToOneField(
        Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The enforcement case it started; the case reads it back as `origin_indskaerpelse`.
    enforcement_case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="origin_indskaerpelse",
        verbose_name=_("enforcement case"),
    )

    class Meta:
        verbose_name = _("indskærpelse")
        verbose_name_plural = _("indskærpelser")
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.deadline}"
