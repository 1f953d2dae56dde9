from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "indgang.triage"
    verbose_name = _("Triage")

    def ready(self) -> None:
        from indgang.contacts.routing import register_routing
        from indgang.triage.routing import TriageRouting

        register_routing(TriageRouting())
