from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "indgang.parties"
    verbose_name = _("Citizens and companies")
