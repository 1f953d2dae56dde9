from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "indgang.overview"
    verbose_name = _("Citizen and company 360")
