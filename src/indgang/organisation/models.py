import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.organisation.constants import ChangeVia, Role, RoleChangeAction


class Municipality(models.Model):
    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A forvaltning: owns tasks, units and the cases handled there."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="departments"
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=10)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "abbreviation"], name="department_abbreviation_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An enhed inside a department: the place a contact or case is handled."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=150)
    is_frontline = models.BooleanField(_("front line"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="unit_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.department.abbreviation})"


class RoleAssignment(models.Model):
    """A staff user's role in one department, optionally in one unit of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.department.abbreviation})"


TOKEN_NAME_LENGTH = 100


class ApiToken(models.Model):
    """A credential an integration sends as `Authorization: Token <secret>`.

    Only the SHA-256 digest of the secret is stored: the secret is shown once, when the token is
    issued. The first characters (`prefix`) are kept to tell tokens apart in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=TOKEN_NAME_LENGTH)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


def digest_of(secret: str) -> str:
    """The stored form of a token's secret. The secret is 256 random bits, so a plain hash is
    as hard to reverse as an HMAC, and it survives a change of the secret key."""
    return hashlib.sha256(secret.encode()).hexdigest()


class RoleChange(models.Model):
    """One change to a staff user's roles or active state: who made it and when.

    `by` is empty for changes made by `indgang import-organisation` (`via` says so). The role,
    department and unit are copied as text, so the history still reads after they are gone.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    via = models.CharField(_("via"), max_length=10, choices=ChangeVia.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_changes",
        verbose_name=_("user"),
    )
    action = models.CharField(_("what"), max_length=20, choices=RoleChangeAction.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    unit = models.CharField(_("unit"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action}"
