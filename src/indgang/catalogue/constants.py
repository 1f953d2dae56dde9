from django.db import models
from django.utils.translation import gettext_lazy as _


class KleLevel(models.TextChoices):
    MAIN_GROUP = "main_group", _("Main group")
    GROUP = "group", _("Group")
    TOPIC = "topic", _("Topic")


class Depth(models.IntegerChoices):
    """Depth of a task, as in Copenhagen's task list (003, Bilag 1)."""

    INFORMATION = 1, _("1 – information and guidance")
    RULE_BASED = 2, _("2 – rule-based decision without significant discretion")
    DISCRETIONARY = 3, _("3 – decision with significant discretion")


class Channel(models.TextChoices):
    """The channel codes used everywhere: API, CSV, reports. The catalogue owns them, as a task
    lists the channels it is offered on; a contact arrives by one."""

    PERSONAL = "personal", _("In person")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    SELFSERVICE = "selfservice", _("Self-service")
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")
    SMS = "sms", _("SMS")
