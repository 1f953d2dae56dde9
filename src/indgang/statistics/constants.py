"""The channel strategy's vocabulary: channel groups and which count as digital."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel


class ChannelGroup(models.TextChoices):
    """The groups the channel strategy sets goals for (seed 002, seed 004 table 5)."""

    SELF_SERVICE = "selfservice", _("Digital self-service")
    DIGITAL_WRITTEN = "digital_written", _("Digital written")
    PHONE = "phone", _("Phone")
    PERSONAL = "personal", _("Personal")
    LETTER = "letter", _("Letter")


CHANNEL_GROUP: dict[str, ChannelGroup] = {
    Channel.SELFSERVICE: ChannelGroup.SELF_SERVICE,
    Channel.EMAIL: ChannelGroup.DIGITAL_WRITTEN,
    Channel.WEB: ChannelGroup.DIGITAL_WRITTEN,
    Channel.CHAT: ChannelGroup.DIGITAL_WRITTEN,
    Channel.SMS: ChannelGroup.DIGITAL_WRITTEN,
    Channel.PHONE: ChannelGroup.PHONE,
    Channel.PERSONAL: ChannelGroup.PERSONAL,
    Channel.LETTER: ChannelGroup.LETTER,
}

# Albertslund's goal counts "digital" as self-service and digital written contacts alike.
DIGITAL_GROUPS = frozenset({ChannelGroup.SELF_SERVICE, ChannelGroup.DIGITAL_WRITTEN})
DIGITAL_CHANNELS = frozenset(
    channel for channel, group in CHANNEL_GROUP.items() if group in DIGITAL_GROUPS
)


class GoalMetric(models.TextChoices):
    """The shares a goal can be set for (seed 002's goals and issue 20's KPIs)."""

    DIGITAL_SHARE = "digital_share", _("Digital share of contacts")
    SELF_SERVICE_SHARE = (
        "self_service_share",
        _("Self-service share where a self-service solution exists"),
    )
    RESOLVED_AT_FIRST_CONTACT = "resolved_at_first_contact", _("Resolved at first contact")
    RESOLVED_WITH_KNOWLEDGE = "resolved_with_knowledge", _("Resolved with the knowledge base")
    CALLBACKS_KEPT = "callbacks_kept", _("Call-backs within a working day")
    DEADLINES_KEPT = "deadlines_kept", _("Deadlines kept")
    SERVICEMAL_ON_TARGET = "servicemal_on_target", _("Servicemål on target")


class SolutionKind(models.TextChoices):
    """Where a self-service solution lives (issue 20, item 5)."""

    TASK_LINK = "task_link", _("A task's self-service link")
    OWN_FORM = "own_form", _("A form of our own")
    EXTERNAL_FORM = "external_form", _("An external form (OS2forms, Open Forms …)")


class FunnelEventKind(models.TextChoices):
    """What happened in one attempt at a self-service solution."""

    STARTED = "started", _("Started")
    STEP_REACHED = "step_reached", _("Step reached")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class Advice(models.TextChoices):
    """What to do about a self-service solution (seed 004: most are little used, many are
    abandoned)."""

    RETIRE = "retire", _("Retire")
    FIX = "fix", _("Fix")
