from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONTLINE = "frontline", _("Front line")
    CASEWORKER = "caseworker", _("Caseworker")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class RoleChangeAction(models.TextChoices):
    """What an administrator or the organisation import changed about a staff user."""

    ASSIGNED = "assigned", _("Role assigned")
    REMOVED = "removed", _("Role removed")
    DEACTIVATED = "deactivated", _("User deactivated")
    REACTIVATED = "reactivated", _("User reactivated")


class ChangeVia(models.TextChoices):
    SCREEN = "screen", _("Roles screen")
    IMPORT = "import", _("indgang import-organisation")
