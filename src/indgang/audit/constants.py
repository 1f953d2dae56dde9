from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    LOOKED_UP = "looked_up", _("Looked up by identifier")
    VIEWED_OVERVIEW = "viewed_overview", _("Viewed the 360 overview")
    LISTED_CONTACTS = "listed_contacts", _("Saw contacts in a list")
    VIEWED_CONTACT = "viewed_contact", _("Viewed a contact")
    VIEWED_ACCESS_LOG = "viewed_access_log", _("Viewed the access log")
    OPENED_DOCUMENT = "opened_document", _("Opened a journal document")
    LISTED_CASES = "listed_cases", _("Saw cases in a list")
    VIEWED_CASE = "viewed_case", _("Viewed a case")
    EXPORTED_CONTACTS = "exported_contacts", _("Exported contacts (CSV)")
    FOUND = "found", _("Found by a search")
    RECOGNISED_CALLER = "recognised_caller", _("Recognised by the caller's phone number")
    LISTED_BOOKINGS = "listed_bookings", _("Saw bookings in a list")
    VIEWED_BOOKING = "viewed_booking", _("Viewed a booking")


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
