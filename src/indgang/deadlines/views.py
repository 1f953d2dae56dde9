from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.audit.constants import AccessAction, Purpose, Via
from indgang.audit.services import log_reads
from indgang.common.forms import add_refusal
from indgang.common.inputs import parse_id
from indgang.common.subjects import facts_of, get_subject_for
from indgang.deadlines.constants import ChangeAction, DeadlineKind, StopEvent
from indgang.deadlines.forms import CompleteForm, ExtendForm, NoticeForm, ReasonForm, StartForm
from indgang.deadlines.models import Deadline
from indgang.deadlines.selectors import (
    DeadlineRow,
    count_overdue,
    deadline_rows,
    get_deadline_for,
    get_deadline_to_change,
    list_deadlines_for,
    list_notifications_for,
    may_change_deadline,
)
from indgang.deadlines.services import (
    complete_deadline,
    extend_deadline,
    mark_notifications_read,
    record_notice,
    resume_deadline,
    start_deadline,
    suspend_deadline,
)
from indgang.organisation.decorators import staff_view
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import managed_unit_ids


def _party_ids(rows: list[DeadlineRow]) -> list[int | None]:
    """The parties shown: none of a deadline whose subject is withheld."""
    return [row.subject.party_id for row in rows if row.subject and not row.redacted]


def _log_list(request: HttpRequest, rows: list[DeadlineRow]) -> None:
    log_reads(
        user=acting_user(request),
        party_ids=_party_ids(rows),
        action=AccessAction.LISTED_CONTACTS,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
    )


@staff_view
def my_deadlines(request: HttpRequest) -> HttpResponse:
    """The user's own open and suspended deadlines, most urgent first, and their reminders."""
    user, scope = acting_user(request), request_scope(request)
    rows = deadline_rows(
        scope=scope,
        deadlines=list_deadlines_for(scope=scope, user=user, owner_id=user.pk, open_only=True)[
            :500
        ],
    )
    _log_list(request, rows)
    notifications = list(list_notifications_for(user=user, unread_only=True)[:50])
    return render(
        request,
        "deadlines/my_deadlines.html",
        {"rows": rows, "notifications": notifications, "now": timezone.now()},
    )


@staff_view
@require_POST
def read_notifications(request: HttpRequest) -> HttpResponse:
    mark_notifications_read(user=acting_user(request), now=timezone.now())
    return redirect("my-deadlines")


@staff_view
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue deadlines of one unit (a manager's by default) and kind, grouped by owner's name,
    most overdue first within each."""
    scope = request_scope(request)
    user = acting_user(request)
    now = timezone.now()
    managed = managed_unit_ids(user=user)
    unit = request.GET.get("unit", "")
    unit_id = parse_id(unit) or (managed[0] if len(managed) == 1 else None)
    kind = request.GET.get("kind", "")
    kind = kind if kind in DeadlineKind.values else ""
    deadlines = list_deadlines_for(
        scope=scope, user=user, unit_id=unit_id, kind=kind or None, overdue_at=now, by_owner=True
    )
    page = Paginator(deadlines, 100).get_page(request.GET.get("page"))
    rows = deadline_rows(scope=scope, deadlines=page)
    _log_list(request, rows)
    counts = count_overdue(scope=scope, user=user, now=now)
    return render(
        request,
        "deadlines/overdue.html",
        {
            "page": page,
            "rows": rows,
            "counts": counts,
            "unit_id": unit_id,
            "kind": kind,
            "kinds": DeadlineKind.choices,
            "now": now,
            "query": urlencode({"unit": unit_id or "", "kind": kind}),
        },
    )


def _get(request: HttpRequest, deadline_id: int) -> Deadline:
    try:
        return get_deadline_for(
            scope=request_scope(request), user=acting_user(request), deadline_id=deadline_id
        )
    except Deadline.DoesNotExist as error:
        raise Http404 from error


ACTIONS: dict[str, type[forms.Form]] = {
    "suspend": ReasonForm,
    "resume": ReasonForm,
    "extend": ExtendForm,
    "notice": NoticeForm,
    "complete": CompleteForm,
}


def _action_forms(deadline: Deadline) -> dict[str, forms.Form]:
    """One empty form per action, each with its own prefix, so no two inputs share an id."""
    return {
        verb: form_class(
            prefix=verb,
            initial={"stopped_by": deadline.rule.stops_on} if verb == "complete" else None,
        )
        for verb, form_class in ACTIONS.items()
    }


def _detail(
    request: HttpRequest,
    deadline: Deadline,
    *,
    refused: forms.Form | None = None,
    verb: str = "",
) -> HttpResponse:
    """The deadline's page; a refused action comes back open, with its errors at its fields."""
    scope, user = request_scope(request), acting_user(request)
    (row,) = deadline_rows(scope=scope, deadlines=[deadline])
    log_reads(
        user=user,
        party_ids=_party_ids([row]),
        action=AccessAction.VIEWED_CONTACT,
        purpose=Purpose.CASEWORK,
        via=Via.UI,
        at=timezone.now(),
    )
    action_forms = _action_forms(deadline)
    if refused is not None:
        action_forms[verb] = refused
    changes = list(deadline.changes.all())
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "deadline": deadline,
            "row": row,
            "may_change": may_change_deadline(scope=scope, user=user, deadline=deadline),
            "now": timezone.now(),
            "forms": action_forms,
            "open_action": verb,
            # The history's first row: when and by whom the deadline was registered, which
            # may be later than the instant its clock runs from (a contact typed in later).
            "started": next((c for c in changes if c.action == ChangeAction.STARTED), None),
        },
        status=400 if refused is not None else 200,
    )


@staff_view
def deadline_detail(request: HttpRequest, deadline_id: int) -> HttpResponse:
    return _detail(request, _get(request, deadline_id))


@staff_view
@require_POST
def deadline_action(request: HttpRequest, deadline_id: int, verb: str) -> HttpResponse:
    """Suspend, resume, extend, give notice on or complete a deadline from its page."""
    if verb not in ACTIONS:
        raise Http404
    try:
        deadline = get_deadline_to_change(
            scope=request_scope(request), user=acting_user(request), deadline_id=deadline_id
        )
    except Deadline.DoesNotExist as error:
        raise Http404 from error
    form = ACTIONS[verb](request.POST, prefix=verb)
    if not form.is_valid():
        return _detail(request, deadline, refused=form, verb=verb)
    data = form.cleaned_data
    by, now = acting_user(request), timezone.now()
    try:
        if verb == "suspend":
            suspend_deadline(deadline=deadline, by=by, now=now, reason=data["reason"])
        elif verb == "resume":
            resume_deadline(deadline=deadline, by=by, now=now, reason=data["reason"])
        elif verb == "extend":
            extend_deadline(
                deadline=deadline, due_at=data["due_at"], by=by, now=now, reason=data["reason"]
            )
        elif verb == "notice":
            record_notice(
                deadline=deadline,
                reason=data["reason"],
                expected_at=data["expected_at"],
                by=by,
                now=now,
            )
        else:
            complete_deadline(
                deadline=deadline, by=by, now=now, stopped_by=StopEvent(data["stopped_by"])
            )
    except ValidationError as error:
        add_refusal(form, error)
        return _detail(request, deadline, refused=form, verb=verb)
    messages.success(request, _("The deadline is updated."))
    return redirect("deadline-detail", deadline_id=deadline.pk)


@staff_view
@require_POST
def start_contact_deadline(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Start a deadline on a contact from its 360: a call-back, aktindsigt or complaint."""
    try:
        contact = get_subject_for(scope=request_scope(request), name="contact", pk=contact_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = StartForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            deadline = start_deadline(
                subject=contact,
                kind=DeadlineKind(data["kind"]),
                by=acting_user(request),
                now=timezone.now(),
                due_at=data["due_at"],
                length=data["length"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The deadline is started."))
            return redirect("deadline-detail", deadline_id=deadline.pk)
    else:
        _report(request, form)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ) and back.startswith("/"):
        return redirect(back)  # the page the form was on (the contact page), with the message
    party_id = facts_of(contact).party_id
    if party_id is None:
        return redirect("contact-list")
    return redirect("party-overview", party_id=party_id)


def _report(request: HttpRequest, form: forms.Form) -> None:
    """A refused form's errors as messages on the page the user returns to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
