"""The staff header's navigation: which pages each role uses first, and the rest under "More".

Every page a user may open stays reachable: the links their roles use most are in the bar, the
others they may use are in the "More" menu. Links name URLs only, so this module imports no app
above the organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum, auto

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from indgang.organisation.constants import Role
from indgang.organisation.requests import SCOPE_ATTRIBUTE
from indgang.organisation.selectors import (
    Identity,
    Scope,
    get_identity,
    get_scope,
    may_manage_roles,
)

# The bar holds this many links at most: with the name, roles and unit beside them, the header
# stays on one line at 1280 px (organisation/tests/test_navigation_browser.py measures it).
MAX_PRIMARY_LINKS = 6


class Audience(Enum):
    """Who may open a page, as the page itself decides (the links only follow it)."""

    STAFF = auto()  # any role: staff_view
    STATISTICS = auto()  # managers and administrators: statistics.selectors.statistics_scope
    ROLE_ADMINS = auto()  # administrators and superusers: may_manage_roles
    API_USERS = auto()  # administrators and integrators (a valid API token)
    DJANGO_ADMIN = auto()  # Django's admin lets in is_staff users


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str | Promise
    audience: Audience


LINKS = (
    Link("front-desk", _("Front desk"), Audience.STAFF),
    Link("queue-centres", _("Queue"), Audience.STAFF),
    Link("contact-list", _("Contacts"), Audience.STAFF),
    Link("party-find", _("Find citizen"), Audience.STAFF),
    Link("triage-queue", _("Triage"), Audience.STAFF),
    Link("cases:work-list", _("Work list"), Audience.STAFF),
    Link("cases:my-cases", _("My cases"), Audience.STAFF),
    Link("bookings:meetings", _("Meetings"), Audience.STAFF),
    Link("my-deadlines", _("My deadlines"), Audience.STAFF),
    Link("overdue-deadlines", _("Overdue"), Audience.STAFF),
    Link("cases:servicemal-report", _("Servicemål"), Audience.STAFF),
    Link("statistics:dashboard", _("Statistics"), Audience.STATISTICS),
    Link("knowledge-articles", _("Knowledge base"), Audience.STAFF),
    Link("catalogue", _("Task catalogue"), Audience.STAFF),
    Link("search", _("Search"), Audience.STAFF),
    Link("staff-list", _("Staff and roles"), Audience.ROLE_ADMINS),
    Link("letter-template-list", _("Letter templates"), Audience.ROLE_ADMINS),
    Link("api-tokens", _("API tokens"), Audience.STAFF),
    Link("api-docs", _("API documentation"), Audience.API_USERS),
    Link("admin:index", _("Django admin"), Audience.DJANGO_ADMIN),
)

# What each role does all day, first.
PRIMARY: dict[str, tuple[str, ...]] = {
    Role.FRONTLINE: ("front-desk", "queue-centres", "contact-list", "triage-queue", "my-deadlines"),
    Role.CASEWORKER: (
        "cases:work-list",
        "cases:my-cases",
        "bookings:meetings",
        "my-deadlines",
        "contact-list",
    ),
    Role.MANAGER: (
        "statistics:dashboard",
        "overdue-deadlines",
        "cases:servicemal-report",
        "contact-list",
    ),
    Role.ADMIN: ("staff-list", "letter-template-list", "statistics:dashboard", "admin:index"),
}
# Every role looks things up; it fills the bar after the role's own links.
COMMON_PRIMARY = ("knowledge-articles",)
# A superuser without a role (technical administration) uses the administrators' screens.
NO_ROLE_PRIMARY = ("staff-list", "letter-template-list", "admin:index")


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str | Promise
    current: bool


@dataclass(frozen=True)
class Frame:
    """The header of a staff page: who is signed in, the bar's links and the "More" menu's."""

    identity: Identity
    primary: tuple[NavLink, ...]
    more: tuple[NavLink, ...]

    @property
    def more_is_current(self) -> bool:
        return any(link.current for link in self.more)


def may_open(link: Link, *, user: User, scope: Scope, identity: Identity) -> bool:
    match link.audience:
        case Audience.STAFF:
            return scope.is_staff
        case Audience.STATISTICS:
            return bool(scope.roles & {Role.MANAGER, Role.ADMIN})
        case Audience.ROLE_ADMINS:
            return may_manage_roles(user=user, scope=scope)
        case Audience.API_USERS:
            return Role.ADMIN in scope.roles or identity.holds_api_token
        case Audience.DJANGO_ADMIN:
            return user.is_active and user.is_staff


def primary_names(scope: Scope) -> list[str]:
    """The bar's URL names for the user's roles, in role order, each once."""
    names: list[str] = []
    for role in Role:
        if role in scope.roles:
            names += PRIMARY[role]
    names += COMMON_PRIMARY if scope.is_staff else NO_ROLE_PRIMARY
    return list(dict.fromkeys(names))


def build_frame(*, user: User, scope: Scope, view_name: str | None, now: dt.datetime) -> Frame:
    identity = get_identity(user=user, scope=scope, now=now)
    allowed = {
        link.url_name: link
        for link in LINKS
        if may_open(link, user=user, scope=scope, identity=identity)
    }
    primary = [name for name in primary_names(scope) if name in allowed][:MAX_PRIMARY_LINKS]

    def nav(link: Link) -> NavLink:
        return NavLink(reverse(link.url_name), link.label, link.url_name == view_name)

    return Frame(
        identity=identity,
        primary=tuple(nav(allowed[name]) for name in primary),
        more=tuple(nav(link) for name, link in allowed.items() if name not in primary),
    )


def frame_for(request: HttpRequest, *, now: dt.datetime) -> Frame | None:
    """The header for this request's user; None when nobody is signed in. The scope is the one
    the view's guard found, if it ran; pages outside it (an error page) look it up."""
    user: AbstractBaseUser | AnonymousUser = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    scope = getattr(request, SCOPE_ATTRIBUTE, None)
    if not isinstance(scope, Scope):
        scope = get_scope(user=user)
    match = request.resolver_match
    return build_frame(
        user=user, scope=scope, view_name=match.view_name if match else None, now=now
    )
