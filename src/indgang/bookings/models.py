import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from indgang.bookings.constants import (
    BookingStatus,
    MeetingType,
    Mode,
    VisitKind,
    VisitStatus,
)
from indgang.catalogue.models import Task
from indgang.contacts.models import Contact
from indgang.organisation.models import Unit
from indgang.parties.models import Party


class Slot(models.Model):
    """A time a unit offers for one meeting, with the staff taking part."""

    # No index of its own: `slot_unit_start` leads with the unit, and with both the planner
    # took the unit's index and filtered every slot of the unit by time.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
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

    @cached_property
    def staff_ids(self) -> list[int]:
        """The staff taking part, by id; `selectors.with_staff_ids` sets it for many slots
        with one query (a prefetch of `staff` built a manager and a queryset per slot)."""
        return list(self.staff.order_by("pk").values_list("pk", flat=True))


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
    # The calendar event's UID, kept by every rebooking of the chain, and its SEQUENCE, one
    # higher with each change, so calendar programs update the one event (`calendar.py`).
    calendar_uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    # When the party is reminded; `reminded_at` and the sending run's `reminder_batch` mark it
    # done, so a reminder run twice sends once.
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    reminder_batch = models.UUIDField(null=True, blank=True, editable=False)
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
        indexes = [
            # The reminders still to send: a small part of the table.
            models.Index(
                fields=["remind_at"],
                condition=Q(status=BookingStatus.ACTIVE, reminded_at__isnull=True),
                name="booking_reminder_due",
            ),
            models.Index(
                fields=["reminder_batch"],
                condition=Q(reminder_batch__isnull=False),
                name="booking_reminder_batch",
            ),
        ]
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


class Desk(models.Model):
    """A desk at a service centre (a unit) where staff call visitors from the queue."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="desk_name_unique")]

    def __str__(self) -> str:
        return self.name


class QueueDisplay(models.Model):
    """The address of a centre's display screen: only the digest of its secret is kept, as
    for API tokens, so a database copy cannot open the screen."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("queue display")
        verbose_name_plural = _("queue displays")

    def __str__(self) -> str:
        return str(self.unit_id)


class QueueCounter(models.Model):
    """The last number drawn at a centre on a day for one letter. Drawing increments it in
    the drawing transaction, so the row lock hands out each number once."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    letter = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "letter"], name="queue_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.letter}{self.last:03d}"


class Visit(models.Model):
    """One visitor at a service centre: a queue number drawn (a walk-in) or a booked
    appointment checked in, then called to a desk, served and registered as a contact."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # The Danish day and hour drawn: what the queue and the statistics count by, with no
    # time-zone arithmetic in the database.
    day = models.DateField(_("day"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    letter = models.CharField(max_length=1)
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.WAITING
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The appointment checked in (kind appointment): checked in once, which the database decides.
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="visit"
    )
    # The time booked for the visitor at the reception instead of waiting (status referred).
    referred_to = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="referred_from"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("task"),
    )
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desk"),
    )
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Drawn (or checked in) to called; called (or started) to finished.
    waiting_seconds = models.PositiveIntegerField(
        _("waiting time (seconds)"), null=True, blank=True
    )
    handling_seconds = models.PositiveIntegerField(
        _("handling time (seconds)"), null=True, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["drawn_at", "pk"]
        # A centre's day: the queue screens, the display and the statistics of a period.
        indexes = [models.Index(fields=["unit", "day"], name="visit_unit_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "letter", "number"], name="visit_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The queue number as the visitor and the display show it: A007."""
        return f"{self.letter}{self.number:03d}"


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
