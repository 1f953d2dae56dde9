from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel
from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.constants import ContactField, Direction, Outcome
from indgang.organisation.models import Department, Unit
from indgang.parties.models import Party


class Thread(models.Model):
    """One matter as the citizen sees it: a call and a later e-mail about it are one thread."""

    # Indexed first in (party, -last_contact_at) below, which serves every look-up by party.
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="threads",
        db_index=False,
    )
    subject = models.CharField(_("subject"), max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"))
    last_contact_at = models.DateTimeField(_("last contact"))

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["party", "-last_contact_at"])]

    def __str__(self) -> str:
        return self.subject


class Contact(models.Model):
    """A henvendelse, from any channel, inbound or outbound.

    Every registration writes each of the table's indexes, and triage rewrites them once more,
    so the register keeps only the indexes its reads use: the register order, a party's and a
    department's contacts in that order, a thread's contacts, and the triage work list. The
    other foreign keys are not indexed: nothing lists contacts by task, topic, unit or staff
    member, and the rows they point to are protected and practically never deleted.
    """

    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    received_at = models.DateTimeField(_("received at"))
    # The Danish day of received_at (services.received_on): what the statistics count by, so
    # their triggers need no time-zone arithmetic.
    received_on = models.DateField(_("received on"))
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    summary = models.TextField(_("summary"))
    # The name a caller gave without a CPR or CVR number: kept with the contact, since there is
    # no party to carry it. The database default lets COPY (demo.simulate) leave it out.
    stated_name = models.CharField(
        _("stated name"), max_length=200, blank=True, default="", db_default=""
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    kle_topic = models.ForeignKey(
        KleEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        db_index=False,
    )
    # The handling unit's department, kept on the row so permission filters need no join.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_contacts",
        db_index=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registered_contacts",
        db_index=False,
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    # A visit at a service centre: from drawing a queue number to being called (bookings).
    waiting_seconds = models.PositiveIntegerField(
        _("waiting time (seconds)"), null=True, blank=True
    )
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="contacts")
    # Registered without a task and not yet triaged: the visitation sweep's work list.
    awaiting_triage = models.BooleanField(_("awaiting triage"), default=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-received_at", "-pk"]
        # Each in the register's own order (newest first, id breaking ties), so a party's 360
        # or a department's page reads only the rows it shows, however many there are.
        indexes = [
            models.Index(fields=["-received_at", "-id"]),
            models.Index(fields=["party", "-received_at", "-id"]),
            models.Index(fields=["department", "-received_at", "-id"]),
            # Only the few waiting rows: the sweep finds them without reading the register.
            models.Index(
                fields=["id"],
                condition=models.Q(awaiting_triage=True),
                name="contact_awaiting_triage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d %H:%M}"


class ContactChange(models.Model):
    """One field of a contact changed by staff: who, when, the value before and after.

    Values are kept as the register showed them then (codes for channel and outcome, a task's
    title, a unit's name), so the history reads the same after a task is renamed.
    """

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=20, choices=ContactField.choices)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        # Newest edit first; one edit's fields in the order of ContactField.
        ordering = ["-changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value}"

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    def _label(self, value: str) -> str:
        """A kept value as the page shows it: a channel's or outcome's name, not its code."""
        choices = {ContactField.CHANNEL: Channel, ContactField.OUTCOME: Outcome}.get(
            ContactField(self.field)
        )
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        return value


class ContactNote(models.Model):
    """An internal note on a contact: for colleagues, never shown to the citizen."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    written_at = models.DateTimeField(_("written"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
