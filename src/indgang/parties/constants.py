from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    COMPANY = "company", _("Company")


class Match(models.IntegerChoices):
    """Why a party was found by a search, best first (the order the hits are shown in)."""

    NUMBER = 0, _("CPR or CVR number")
    CONTACT_DETAIL = 1, _("Phone or e-mail")
    NAME_PREFIX = 2, _("Start of the name")
    CONTAINS = 3, _("Words in name, address or contact details")
