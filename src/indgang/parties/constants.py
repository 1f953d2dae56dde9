from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    COMPANY = "company", _("Company")
