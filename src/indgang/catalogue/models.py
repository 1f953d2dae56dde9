from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.constants import Channel, Depth, KleLevel
from indgang.catalogue.os2kle import TERM_LENGTH
from indgang.organisation.models import Department, Unit


class KleEntry(models.Model):
    """One entry of KL's classification: a main group (02), group (02.34) or topic (02.34.02)."""

    number = models.CharField(_("number"), max_length=8, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=KleLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    legal_references = models.JSONField(_("legal references"), default=list, blank=True)
    retention_code = models.CharField(
        _("retention (Bevaring jf. arkivloven)"), max_length=10, blank=True
    )
    deletion_period = models.CharField(
        _("deletion period (Sletning jf. persondataloven)"), max_length=20, blank=True
    )
    created_on = models.DateField(_("created"), null=True, blank=True)
    changed_on = models.DateField(_("changed"), null=True, blank=True)
    retired_on = models.DateField(_("retired"), null=True, blank=True)
    moved_on = models.DateField(_("moved"), null=True, blank=True)
    replaced_by = models.CharField(_("replaced by"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("KLE entry")
        verbose_name_plural = _("KLE entries")
        ordering = ["number"]
        indexes = [models.Index(fields=["level", "number"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.retired_on is None


class Task(models.Model):
    """A task in the municipal catalogue (opgavekatalog) that citizens contact us about."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    kle_topics = models.ManyToManyField(
        KleEntry, related_name="tasks", verbose_name=_("KLE topics")
    )
    depth = models.PositiveSmallIntegerField(_("depth"), choices=Depth.choices)
    frontline_may_resolve = models.BooleanField(_("front line may resolve"), default=False)
    channels = models.JSONField(_("channels offered"), default=list)
    self_service_url = models.URLField(_("self-service link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "department"], name="task_title_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.department.abbreviation})"

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(code).label) for code in self.channels]


class SummaryTemplate(models.Model):
    """A ready summary for a common contact about a task: the front desk offers a task's
    templates once the task is chosen, and one keystroke puts one into the summary."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="summary_templates")
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("The front desk offers the first nine, lowest first.")
    )

    class Meta:
        verbose_name = _("summary template")
        verbose_name_plural = _("summary templates")
        ordering = ["task", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "text"], name="summary_template_unique")
        ]

    def __str__(self) -> str:
        return self.text


class KleKeyword(models.Model):
    """A term with its weight that points at a KLE topic, from OS2KLE's keyword lists (the
    lists municipalities sort incoming mail by): triage and search read them."""

    topic = models.ForeignKey(KleEntry, on_delete=models.CASCADE, related_name="keywords")
    term = models.CharField(_("term"), max_length=TERM_LENGTH)
    # Relative: 5 is the usual; 1000 marks account-code patterns such as "ok 01".
    weight = models.PositiveIntegerField(_("weight"))

    class Meta:
        verbose_name = _("KLE keyword")
        verbose_name_plural = _("KLE keywords")
        ordering = ["topic", "term"]
        constraints = [models.UniqueConstraint(fields=["topic", "term"], name="kle_keyword_unique")]

    def __str__(self) -> str:
        return f"{self.term} [{self.weight}]"


class MainGroupOwner(models.Model):
    """The department that answers for a KLE main group: triage names it for a suggested topic
    that no catalogue task owns. Where none is set, the department whose active tasks carry
    the most topics of the main group answers (catalogue.selectors.main_group_departments)."""

    main_group = models.OneToOneField(
        KleEntry,
        on_delete=models.CASCADE,
        related_name="owner",
        limit_choices_to={"level": KleLevel.MAIN_GROUP},
        verbose_name=_("KLE main group"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="kle_main_groups",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("owner of a KLE main group")
        verbose_name_plural = _("owners of KLE main groups")
        ordering = ["main_group__number"]

    def __str__(self) -> str:
        return f"{self.main_group.number} {self.department}"
