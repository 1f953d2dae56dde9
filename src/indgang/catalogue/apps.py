from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "indgang.catalogue"
    verbose_name = _("Task catalogue and KLE")
