from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import KleEntry, Task
from indgang.contacts.models import Contact
from indgang.knowledge.constants import Audience
from indgang.organisation.models import Unit


class Article(models.Model):
    """A quick answer to a general question: the front line's knowledge base (seed 002, 003)."""

    title = models.CharField(_("question or title"), max_length=300)
    answer = models.TextField(_("answer"))
    tasks = models.ManyToManyField(
        Task, blank=True, related_name="articles", verbose_name=_("tasks")
    )
    kle_topics = models.ManyToManyField(
        KleEntry, blank=True, related_name="articles", verbose_name=_("KLE topics")
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="articles", verbose_name=_("owner unit")
    )
    review_on = models.DateField(_("review by"))
    # [{"label": "...", "url": "https://..."}]: forms and self-service solutions.
    links = models.JSONField(_("links"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["owner_unit", "review_on"])]

    def __str__(self) -> str:
        return self.title


class Guide(models.Model):
    """How a catalogue task is solved at the front line: the "IT portal" of seed 003."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="guide", verbose_name=_("task")
    )
    what_to_ask = models.TextField(_("what to ask"), blank=True)
    what_to_bring = models.TextField(_("what the citizen must bring"), blank=True)
    self_service = models.TextField(_("self-service to point to"), blank=True)
    when_to_forward = models.TextField(_("when to forward"), blank=True)
    forward_to = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forward to unit"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self) -> str:
        return str(self.task.title)


class Revision(models.Model):
    """One saved change of an article or a guide: who, when, which fields, their old values."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    version = models.PositiveIntegerField(_("version"))
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_fields = models.JSONField(_("changed fields"), default=list)
    previous = models.JSONField(_("previous values"), default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, guide__isnull=True)
                | Q(article__isnull=True, guide__isnull=False),
                name="revision_of_article_or_guide",
            ),
            models.UniqueConstraint(fields=["article", "version"], name="article_version_unique"),
            models.UniqueConstraint(fields=["guide", "version"], name="guide_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.changed_at:%Y-%m-%d %H:%M}"


class StaleFlag(models.Model):
    """An article passed its review date: flagged once to its owner unit for that date."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="stale_flags")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    review_on = models.DateField(_("review by"))
    flagged_at = models.DateTimeField(_("flagged"))

    class Meta:
        verbose_name = _("stale flag")
        verbose_name_plural = _("stale flags")
        constraints = [
            models.UniqueConstraint(fields=["article", "review_on"], name="stale_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.review_on}"


class KnowledgeUse(models.Model):
    """The article or guide that helped staff with a contact: measured straksafklaring."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="knowledge_use")
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    guide = models.ForeignKey(
        Guide, on_delete=models.SET_NULL, null=True, blank=True, related_name="uses"
    )
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("knowledge use")
        verbose_name_plural = _("knowledge uses")

    def __str__(self) -> str:
        return f"{self.contact_id}"
