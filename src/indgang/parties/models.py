from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.parties.constants import PartyKind


class Party(models.Model):
    """A citizen (CPR) or company (CVR) the municipality is in contact with."""

    kind = models.CharField(_("kind"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    cpr_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    cpr_encrypted = models.TextField(blank=True, editable=False)
    cpr_masked = models.CharField(_("CPR (masked)"), max_length=11, blank=True, editable=False)
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PartyKind.CITIZEN, cvr__isnull=True)
                    | models.Q(kind=PartyKind.COMPANY, cpr_digest__isnull=True)
                ),
                name="party_identifier_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.identifier_display

    @property
    def identifier_display(self) -> str:
        """The identifier as lists may show it: a masked CPR or the CVR."""
        if self.kind == PartyKind.COMPANY:
            return f"CVR {self.cvr}" if self.cvr else ""
        return self.cpr_masked
