"""Staff screens of the organisation: a user's API tokens, which they (and administrators) may
revoke; and the roles screens, where administrators see every staff user and change their roles.

Each role change goes through organisation.services, which records it (RoleChange). The roles
screens show staff users and their roles only, no citizen's data, so superusers use them too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indgang.organisation.constants import ChangeVia, Role
from indgang.organisation.decorators import role_admin_view, staff_view
from indgang.organisation.forms import ActiveForm, AssignRoleForm
from indgang.organisation.requests import acting_user, request_scope
from indgang.organisation.selectors import (
    api_token_owner_shown,
    get_api_token,
    get_staff_member,
    list_api_tokens,
    list_role_changes,
    list_staff,
)
from indgang.organisation.services import (
    assign_role,
    remove_role,
    revoke_api_token,
    set_user_active,
)

STAFF_PAGE_SIZE = 100


@role_admin_view
def staff_list(request: HttpRequest) -> HttpResponse:
    """Every staff user with their roles; the filter answers as one types (htmx)."""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(list_staff(query=query), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "organisation/_staff_rows.html"
        if request.headers.get("HX-Request")
        else "organisation/staff_list.html"
    )
    return render(request, template, {"page": page, "q": query})


def _member(user_id: int) -> User:
    try:
        return get_staff_member(user_id=user_id)
    except User.DoesNotExist as error:
        raise Http404 from error


def _detail(
    request: HttpRequest,
    member: User,
    form: AssignRoleForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    """The staff member's page; with `problems` or an invalid form, as the answer to a refused
    change (400)."""
    refused = bool(problems) or (form is not None and bool(form.errors))
    return render(
        request,
        "organisation/staff_detail.html",
        {
            "member": member,
            "form": form or AssignRoleForm(),
            "problems": problems or [],
            "changes": list_role_changes(user_id=member.pk),
        },
        status=400 if refused else 200,
    )


@role_admin_view
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _detail(request, _member(user_id))


@role_admin_view
@require_POST
def add_role(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _member(user_id)
    form = AssignRoleForm(request.POST)
    if not form.is_valid():
        return _detail(request, member, form)
    data = form.cleaned_data
    try:
        assign_role(
            user=member,
            role=Role(data["role"]),
            department=data["department"],
            unit=data["unit"],
            by=acting_user(request),
            via=ChangeVia.SCREEN,
            now=timezone.now(),
        )
    except ValidationError as error:
        return _detail(request, member, form, problems=error.messages)
    messages.success(request, _("The role is added."))
    return redirect("staff-detail", user_id=member.pk)


@role_admin_view
@require_POST
def remove_role_view(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    member = _member(user_id)
    assignment = next((a for a in member.role_assignments.all() if a.pk == assignment_id), None)
    if assignment is None:
        raise Http404
    return _change(
        request,
        member,
        lambda: remove_role(
            assignment=assignment, by=acting_user(request), via=ChangeVia.SCREEN, now=timezone.now()
        ),
        _("The role is removed."),
    )


@role_admin_view
@require_POST
def set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _member(user_id)
    form = ActiveForm(request.POST)
    form.is_valid()  # a checkbox: absent means False
    active = bool(form.cleaned_data.get("active"))
    return _change(
        request,
        member,
        lambda: set_user_active(
            user=member, active=active, by=acting_user(request), now=timezone.now()
        ),
        _("The user is reactivated.") if active else _("The user is deactivated."),
    )


def _change(
    request: HttpRequest, member: User, change: Callable[[], None], done: str
) -> HttpResponse:
    """Run a change; on success back to the page with `done`, else the page with the reason."""
    try:
        change()
    except ValidationError as error:
        return _detail(request, _member(member.pk), problems=error.messages)
    messages.success(request, done)
    return redirect("staff-detail", user_id=member.pk)


@staff_view
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; an administrator's screen lists every user's."""
    owner = api_token_owner_shown(user=acting_user(request), scope=request_scope(request))
    page = Paginator(list_api_tokens(owner=owner), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/api_tokens.html",
        {"page": page, "everyone": owner is None, "now": timezone.now()},
    )


@staff_view
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    owner = api_token_owner_shown(user=acting_user(request), scope=request_scope(request))
    token = get_api_token(token_id=token_id, owner=owner)
    if token is None:
        raise Http404
    revoke_api_token(token=token, now=timezone.now())
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("api-tokens")
