from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from indgang.bookings.constants import BookingStatus, MeetingType, Mode
from indgang.catalogue.models import Task
from indgang.organisation.models import Unit
from indgang.parties.models import Party


class Slot(models.Model):
    """A time a unit offers for one meeting, with the staff taking part."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    meeting_type = models.CharField(_("meeting type"), max_length=20, choices=MeetingType.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("place or video"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="booking_slots", verbose_name=_("staff")
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("task"),
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        # A unit's free slots over a period, whichever meeting type.
        indexes = [models.Index(fields=["unit", "starts_at"], name="slot_unit_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "meeting_type", "starts_at"], name="slot_unique_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class StaffAbsence(models.Model):
    """A staff member away: the slots they take part in meanwhile are neither offered nor
    bookable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("staff member"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))

    class Meta:
        verbose_name = _("staff absence")
        verbose_name_plural = _("staff absences")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["user", "starts_at"], name="absence_user_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    """A party's hold on a slot. Cancelled bookings stay as history; at most one per slot is
    active, which the database decides (`booking_one_active_per_slot`)."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.ACTIVE
    )
    booked_at = models.DateTimeField(_("booked at"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The booking this one replaced when rebooked.
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    # A pre-application meeting (forhåndsdialog) is about one task of the catalogue; its
    # checklist is the task's MeetingChecklistItem rows.
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("task"),
    )
    material_arrived_at = models.DateTimeField(_("material arrived"), null=True, blank=True)
    material_note = models.TextField(_("about the material"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmation call made"), null=True, blank=True)
    confirmation_note = models.TextField(_("what the call confirmed"), blank=True)
    # The meeting summary (møderesume): what the application must contain, one item a line.
    summary = models.TextField(_("meeting summary"), blank=True)
    summary_at = models.DateTimeField(_("summary sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status=BookingStatus.ACTIVE),
                name="booking_one_active_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(status=BookingStatus.ACTIVE, cancelled_at__isnull=True)
                | Q(status=BookingStatus.CANCELLED, cancelled_at__isnull=False),
                name="booking_cancelled_at_iff_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} ({self.get_status_display()})"


class MeetingChecklistItem(models.Model):
    """One piece of material to send before a task's pre-application meeting ("husk at dette
    skal være med i ansøgningen"); administrators keep the list in Django's admin."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="meeting_checklist", verbose_name=_("task")
    )
    text = models.CharField(_("material"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting checklist item")
        verbose_name_plural = _("meeting checklist items")
        ordering = ["task", "position", "pk"]

    def __str__(self) -> str:
        return self.text
