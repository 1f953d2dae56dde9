from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from indgang.catalogue.models import KleEntry, Task
from indgang.common.forms import BoundedDateField
from indgang.common.inputs import INT32_MAX, parse_id
from indgang.knowledge.constants import Audience
from indgang.knowledge.models import Article, Guide
from indgang.knowledge.services import ArticleData, GuideData, Link
from indgang.organisation.models import Unit


def parse_links(text: str) -> list[Link]:
    """One link a line: `label | https://…` (a bare address is its own label)."""
    links = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, _bar, url = line.rpartition("|")
        links.append(Link(label=(label or url).strip(), url=url.strip()))
    return links


def format_links(links: list[dict[str, str]]) -> str:
    return "\n".join(f"{link.get('label', '')} | {link.get('url', '')}" for link in links)


class TaskChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Tasks as checkboxes, named by title: the picker groups them under their department."""

    def label_from_instance(self, obj: Task) -> str:
        return obj.title


@dataclass(frozen=True)
class TaskGroup:
    department: str
    options: list[BoundWidget]
    chosen: int


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Question or title"), max_length=300)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    owner_unit = forms.ModelChoiceField(
        label=_("Owner unit"), queryset=Unit.objects.select_related("department")
    )
    review_on = BoundedDateField(
        label=_("Review by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    links = forms.CharField(
        label=_("Links to forms and self-service"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: label | https://…"),
    )
    tasks = TaskChoiceField(
        label=_("Tasks"),
        queryset=Task.objects.filter(is_active=True)
        .select_related("department")
        .order_by("department__name", "title", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kle_topics = forms.CharField(
        label=_("KLE topics"),
        required=False,
        help_text=_("KLE numbers separated by spaces, e.g. 02.34.02 09.13.01"),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=INT32_MAX
    )

    def clean_kle_topics(self) -> list[KleEntry]:
        numbers = self.cleaned_data["kle_topics"].replace(",", " ").split()
        topics = list(KleEntry.objects.filter(number__in=numbers))
        unknown = sorted(set(numbers) - {topic.number for topic in topics})
        if unknown:
            raise forms.ValidationError(
                _("Unknown KLE numbers: %(numbers)s.") % {"numbers": ", ".join(unknown)}
            )
        return topics

    def task_groups(self) -> list[TaskGroup]:
        """The task checkboxes by department (the queryset's order), with how many are chosen."""
        groups: dict[str, list[BoundWidget]] = {}
        for option in self["tasks"].subwidgets:
            task = option.data["value"].instance
            groups.setdefault(task.department.name, []).append(option)
        return [
            TaskGroup(name, options, sum(bool(o.data["selected"]) for o in options))
            for name, options in groups.items()
        ]

    def article_data(self) -> ArticleData:
        data: dict[str, Any] = self.cleaned_data
        return ArticleData(
            title=data["title"],
            answer=data["answer"],
            audience=Audience(data["audience"]),
            owner_unit=data["owner_unit"],
            review_on=data["review_on"],
            links=parse_links(data["links"]),
            tasks=list(data["tasks"]),
            kle_topics=data["kle_topics"],
        )


class GuideForm(forms.Form):
    what_to_ask = forms.CharField(
        label=_("What to ask"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    what_to_bring = forms.CharField(
        label=_("What the citizen must bring"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    self_service = forms.CharField(
        label=_("Self-service to point to"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    when_to_forward = forms.CharField(
        label=_("When to forward"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    forward_to = forms.ModelChoiceField(
        label=_("Forward to unit"),
        queryset=Unit.objects.select_related("department"),
        required=False,
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=INT32_MAX
    )

    def guide_data(self) -> GuideData:
        data: dict[str, Any] = self.cleaned_data
        return GuideData(
            what_to_ask=data["what_to_ask"],
            what_to_bring=data["what_to_bring"],
            self_service=data["self_service"],
            when_to_forward=data["when_to_forward"],
            forward_to=data["forward_to"],
        )


class ReportForm(forms.Form):
    received_from = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = BoundedDateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class KnowledgeUsedField(forms.CharField):
    """`article:ID` or `guide:ID`, as the front desk's search results post it."""

    def clean(self, value: Any) -> Article | Guide | None:
        text = super().clean(value)
        if not text:
            return None
        kind, _colon, number = text.partition(":")
        found: Article | Guide | None = None
        pk = parse_id(number)
        if pk is not None and kind == "article":
            found = Article.objects.filter(pk=pk).first()
        elif pk is not None and kind == "guide":
            found = Guide.objects.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(
                _("The article or guide you marked no longer exists. Search again.")
            )
        return found
