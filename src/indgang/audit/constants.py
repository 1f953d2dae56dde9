from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    LOOKED_UP = "looked_up", _("Looked up by identifier")
    VIEWED_OVERVIEW = "viewed_overview", _("Viewed the 360 overview")
    VIEWED_CPR = "viewed_cpr", _("Viewed the full CPR number")
    LISTED_CONTACTS = "listed_contacts", _("Listed contacts")
    VIEWED_ACCESS_LOG = "viewed_access_log", _("Viewed the access log")


class Purpose(models.TextChoices):
    """Why personal data was read (GDPR art. 5(2): the municipality must be able to show it)."""

    CONTACT = "contact", _("Handling a contact")
    CASEWORK = "casework", _("Casework")
    ROUTING = "routing", _("Routing to the right unit")
    SUPERVISION = "supervision", _("Supervision and control")
    INTEGRATION = "integration", _("System integration")


class Via(models.TextChoices):
    UI = "ui", _("Staff screens")
    API = "api", _("API")
