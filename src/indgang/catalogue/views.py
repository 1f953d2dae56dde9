from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from indgang.catalogue.selectors import list_summary_templates, list_tasks
from indgang.common.inputs import parse_id
from indgang.organisation.decorators import staff_view

SEARCH_LIMIT = 8


@staff_view
def task_search(request: HttpRequest) -> HttpResponse:
    """The front desk's catalogue search: the best few tasks as radio buttons."""
    text = request.GET.get("task_q", "").strip()
    tasks = list(list_tasks(text=text)[:SEARCH_LIMIT]) if text else []
    return render(request, "catalogue/task_options.html", {"tasks": tasks, "text": text})


@staff_view
def summary_templates(request: HttpRequest) -> HttpResponse:
    """The front desk's templates for the chosen task (`?task=ID`); none for no or a bad id."""
    task_id = parse_id(request.GET.get("task"))
    templates = list_summary_templates(task_id=task_id) if task_id is not None else []
    return render(request, "catalogue/summary_templates.html", {"templates": templates})


@staff_view
def catalogue(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    return render(
        request, "catalogue/catalogue.html", {"tasks": list_tasks(text=text), "text": text}
    )
