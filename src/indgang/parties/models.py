from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.parties.constants import PartyKind


class Party(models.Model):
    """A citizen (CPR) or company (CVR) the municipality is in contact with."""

    kind = models.CharField(_("kind"), max_length=10, choices=PartyKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    # NULL, not "", where there is no number: the unique constraints below allow many NULLs.
    cpr_digest = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )
    cpr_encrypted = models.TextField(blank=True, editable=False)
    cpr_masked = models.CharField(_("CPR (masked)"), max_length=11, blank=True, editable=False)
    cvr = models.CharField(_("CVR number"), max_length=8, null=True, blank=True)  # noqa: DJ001
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # What the party is found by as one types (parties.matching.search_text), kept by the
    # services that write the fields it folds. On PostgreSQL its collation is "C" and it has a
    # trigram index too (migration 0003): see parties.selectors.search_parties.
    search_text = models.TextField(blank=True, editable=False)
    phone_key = models.CharField(max_length=30, blank=True, editable=False)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "pk"]
        # Constraints rather than unique=True: the same unique indexes, without the second
        # (LIKE pattern) index PostgreSQL gets for each unique text field, which every new
        # party would also write. Numbers are found exactly; names by `search_text`.
        indexes = [
            models.Index(fields=["phone_key"], name="party_phone_key"),
            models.Index(fields=["search_text"], name="party_search_text"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["cpr_digest"], name="party_unique_cpr_digest"),
            models.UniqueConstraint(fields=["cvr"], name="party_unique_cvr"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PartyKind.CITIZEN, cvr__isnull=True)
                    | models.Q(kind=PartyKind.COMPANY, cpr_digest__isnull=True)
                ),
                name="party_identifier_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.identifier_display

    @property
    def identifier_display(self) -> str:
        """The identifier as lists may show it: a masked CPR or the CVR."""
        if self.kind == PartyKind.COMPANY:
            return f"CVR {self.cvr}" if self.cvr else ""
        return self.cpr_masked
