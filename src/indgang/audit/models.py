from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.common.subjects import OptionalSubjectReference
from indgang.parties.models import Party


class AccessLogEntry(OptionalSubjectReference):
    """One read of a party's personal data: who, when, what and why, and on which subject
    (a contact, a case) when the read was of one. Never holds a CPR."""

    at = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="access_log", verbose_name=_("party")
    )
    action = models.CharField(_("what"), max_length=30, choices=AccessAction.choices)
    purpose = models.CharField(_("why"), max_length=20, choices=Purpose.choices)
    via = models.CharField(_("via"), max_length=5, choices=Via.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["party", "-at"]),
            models.Index(
                fields=["subject_type", "subject_id", "-at"], name="audit_log_subject_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
