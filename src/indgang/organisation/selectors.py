"""Reads: who a staff user is and which departments they may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connections, router
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _

from indgang.common.caching import Rows, remembered_rows
from indgang.common.compiled import loaded
from indgang.common.rows import column as column_of
from indgang.organisation.constants import Role
from indgang.organisation.models import (
    ApiToken,
    Department,
    RoleAssignment,
    RoleChange,
    Unit,
    digest_of,
)

Assignment = tuple[str, int, int | None]  # role, department id, unit id


@dataclass(frozen=True)
class Scope:
    """What one staff user may see.

    `department_ids`: departments seen in full. `sees_all`: every department in full
    (administrators). `routing_overview`: the front line sees that other departments' contacts
    exist, with channel, task and unit, but not their content: enough to route a caller.
    """

    roles: frozenset[str]
    department_ids: frozenset[int]
    sees_all: bool
    routing_overview: bool
    home_department_id: int | None
    home_unit_id: int | None
    # Every (role, department id, unit id) held, in the order made: who may change a deadline
    # depends on the unit and on managing.
    assignments: tuple[Assignment, ...] = ()

    @property
    def is_staff(self) -> bool:
        return bool(self.roles)

    @property
    def may_read_access_log(self) -> bool:
        """Managers and administrators supervise who read what."""
        return bool(self.roles & {Role.MANAGER, Role.ADMIN})

    def sees_in_full(self, department_id: int | None) -> bool:
        return self.sees_all or (department_id is not None and department_id in self.department_ids)

    def sees_at_all(self, department_id: int | None) -> bool:
        return self.routing_overview or self.sees_in_full(department_id)

    def manages(self, *, department_id: int | None, unit_id: int | None) -> bool:
        """Whether a manager role covers this unit of the department (or the whole of it)."""
        return any(
            role == Role.MANAGER and department == department_id and unit in (None, unit_id)
            for role, department, unit in self.assignments
        )

    def works_in(self, *, department_id: int | None, unit_id: int | None) -> bool:
        """Whether a role is held in this unit, or in the department when there is no unit."""
        return any(
            department == department_id and (unit_id is None or unit == unit_id)
            for _role, department, unit in self.assignments
        )


NO_SCOPE = Scope(frozenset(), frozenset(), False, False, None, None)


def get_scope(*, user: AbstractBaseUser | AnonymousUser) -> Scope:
    """Return the user's scope from their role assignments (one query)."""
    if not user.is_authenticated:
        return NO_SCOPE
    return scope_from_assignments(
        list(
            RoleAssignment.objects.filter(user_id=user.pk)
            .order_by("pk")
            .values_list("role", "department_id", "unit_id")
        )
    )


# What get_token_owner loads of the user and the token.
USER_FIELDS = ("id", "username", "is_active")
TOKEN_FIELDS = ("id", "user_id")


def scope_from_assignments(assignments: Sequence[Assignment]) -> Scope:
    """The scope given by a user's role assignments, in the order they were made."""
    if not assignments:
        return NO_SCOPE
    roles = {role for role, _, _ in assignments}
    first_with_unit = next((a for a in assignments if a[2] is not None), assignments[0])
    return Scope(
        roles=frozenset(roles),
        department_ids=frozenset(department_id for _, department_id, _ in assignments),
        sees_all=Role.ADMIN in roles,
        routing_overview=Role.FRONTLINE in roles or Role.ADMIN in roles,
        home_department_id=first_with_unit[1],
        home_unit_id=first_with_unit[2],
        assignments=tuple(assignments),
    )


def get_token_owner(*, key: str, now: dt.datetime) -> tuple[ApiToken, Scope] | None:
    """The user a valid API token belongs to, with their scope, in one query; None if the
    token is unknown, revoked or expired.

    This runs on every API request, so it is one round trip with precomposed SQL rather than
    the two ORM queries (token with user, then role assignments) it replaces. The token is
    found by the digest of its secret (unique, so indexed); the user comes with `username` and
    `is_active` loaded; any other field loads on first use.

    A valid token's answer is remembered for API_CACHE_SECONDS (common.caching): a revoked or
    expired token, a deactivated user or a changed role takes effect within that time.
    """
    alias = router.db_for_read(ApiToken)
    digest = digest_of(key)
    rows = _token_owner_rows(alias, digest, now)
    if not rows:
        return None
    token_id, user_id, username, is_active = rows[0][:4]
    user = loaded(User, USER_FIELDS, (user_id, username, bool(is_active)), alias)
    token = loaded(ApiToken, TOKEN_FIELDS, (token_id, user_id), alias)
    token.user = user
    assignments = tuple(
        (role, department_id, unit_id)
        for *_, role, department_id, unit_id in rows
        if role is not None
    )
    return token, _scope_of_token(assignments)


def token_refusal(*, key: str, now: dt.datetime) -> str:
    """Why get_token_owner found no valid token for this key, in the user's language."""
    token = ApiToken.objects.filter(digest=digest_of(key)).first()
    if token is None:
        return _("Invalid token.")
    if token.revoked_at is not None:
        return _("The token has been revoked.")
    if token.expires_at <= now:
        return _("The token has expired.")
    return _("Invalid token.")


@lru_cache(maxsize=1024)
def _scope_of_token(assignments: tuple[Assignment, ...]) -> Scope:
    """A Scope is frozen: every request with the same assignments can share one."""
    return scope_from_assignments(assignments)


def _token_owner_rows(alias: str, digest: str, now: dt.datetime) -> Rows:
    def load() -> Rows:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(
                _token_owner_sql(alias), [digest, connection.ops.adapt_datetimefield_value(now)]
            )
            return [tuple(row) for row in cursor.fetchall()]

    return remembered_rows("token-owner", digest, load)


@cache
def _token_owner_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name

    def column(model: type[ApiToken | User | RoleAssignment], name: str) -> str:
        return f"{quote(model._meta.db_table)}.{quote(column_of(model, name))}"

    # Identifiers come from the models' metadata, quoted; the digest and time are parameters.
    return (
        f"SELECT {column(ApiToken, 'id')}, "  # noqa: S608
        f"{column(User, 'id')}, {column(User, 'username')}, {column(User, 'is_active')}, "
        f"{column(RoleAssignment, 'role')}, {column(RoleAssignment, 'department')}, "
        f"{column(RoleAssignment, 'unit')} "
        f"FROM {quote(ApiToken._meta.db_table)} "
        f"INNER JOIN {quote(User._meta.db_table)} "
        f"ON {column(User, 'id')} = {column(ApiToken, 'user')} "
        f"LEFT OUTER JOIN {quote(RoleAssignment._meta.db_table)} "
        f"ON {column(RoleAssignment, 'user')} = {column(User, 'id')} "
        f"WHERE {column(ApiToken, 'digest')} = %s "
        f"AND {column(ApiToken, 'revoked_at')} IS NULL "
        f"AND {column(ApiToken, 'expires_at')} > %s "
        f"ORDER BY {column(RoleAssignment, 'id')}"
    )


def staff_of_department(*, department_id: int | None, user_ids: Collection[int]) -> set[int]:
    """Those of the users who hold a role in the department (one query)."""
    if department_id is None or not user_ids:
        return set()
    return set(
        RoleAssignment.objects.filter(department_id=department_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


def list_api_tokens(*, owner: User | None) -> QuerySet[ApiToken]:
    """API tokens, newest first: those of `owner`, or every user's when None."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    return tokens if owner is None else tokens.filter(user_id=owner.pk)


def api_token_owner_shown(*, user: User, scope: Scope) -> User | None:
    """Whose tokens the user may see and revoke: their own; an administrator, everyone's."""
    return None if Role.ADMIN in scope.roles else user


def get_api_token(*, token_id: int, owner: User | None) -> ApiToken | None:
    """The token with this id, if it is `owner`'s (any user's when None)."""
    return list_api_tokens(owner=owner).filter(pk=token_id).first()


def list_departments() -> list[Department]:
    return list(Department.objects.order_by("name"))


def list_units() -> list[Unit]:
    return list(Unit.objects.select_related("department").order_by("department__name", "name"))


def managed_unit_ids(*, user: User) -> list[int]:
    """Units the user manages: those named in a manager role, or all units of the department."""
    assignments = RoleAssignment.objects.filter(user_id=user.pk, role=Role.MANAGER)
    unit_ids = {a.unit_id for a in assignments if a.unit_id is not None}
    whole = [a.department_id for a in assignments if a.unit_id is None]
    unit_ids |= set(Unit.objects.filter(department_id__in=whole).values_list("pk", flat=True))
    return sorted(unit_ids)


def unit_managers(*, unit_ids: Collection[int]) -> dict[int, list[User]]:
    """The active managers of each unit: those whose manager role names the unit or its whole
    department, by user id."""
    departments = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "department_id"))
    assignments = RoleAssignment.objects.filter(
        role=Role.MANAGER, user__is_active=True, department_id__in=set(departments.values())
    ).select_related("user")
    managers: dict[int, dict[int, User]] = {unit_id: {} for unit_id in departments}
    for assignment in assignments:
        for unit_id, department_id in departments.items():
            if assignment.department_id == department_id and assignment.unit_id in (None, unit_id):
                managers[unit_id][assignment.user_id] = assignment.user
    return {
        unit_id: sorted(users.values(), key=lambda u: u.pk) for unit_id, users in managers.items()
    }


def may_manage_roles(*, user: AbstractBaseUser | AnonymousUser, scope: Scope | None = None) -> bool:
    """Administrators, and superusers (technical administration: they manage who may do what,
    and still see no citizen's data, having no role themselves). `scope`: the user's, if known."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Role.ADMIN in (scope or get_scope(user=user)).roles


def list_staff(*, query: str = "") -> QuerySet[User]:
    """Every user, with their role assignments, by username; `query` matches username or name."""
    users = User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("department", "unit").order_by(
                "department__name", "role"
            ),
        )
    ).order_by("username")
    for word in query.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return users


def get_staff_member(*, user_id: int) -> User:
    """One user with their role assignments; raises User.DoesNotExist."""
    return list_staff().get(pk=user_id)


def list_role_changes(*, user_id: int, limit: int = 100) -> list[RoleChange]:
    """The newest changes to one user's roles and active state, newest first."""
    return list(RoleChange.objects.filter(user_id=user_id).select_related("by")[:limit])


@dataclass(frozen=True)
class Identity:
    """Who the signed-in user is, as the header shows it: name, roles and home unit."""

    full_name: str
    role_labels: tuple[str, ...]
    unit_name: str
    department_name: str
    holds_api_token: bool


def get_identity(*, user: User, scope: Scope, now: dt.datetime) -> Identity:
    """The header's view of the user, in one query: the home unit's and department's names and
    whether the user holds a valid API token (an integrator, who is shown the API docs)."""
    unit_name, department_name, holds_api_token = (
        User.objects.filter(pk=user.pk)
        .annotate(
            unit_name=_name_of(Unit, scope.home_unit_id),
            department_name=_name_of(Department, scope.home_department_id),
            holds_api_token=Exists(
                ApiToken.objects.filter(
                    user_id=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=now
                )
            ),
        )
        .values_list("unit_name", "department_name", "holds_api_token")
        .get()
    )
    return Identity(
        full_name=user.get_full_name() or user.get_username(),
        # In the order of Role, whatever order they were assigned in.
        role_labels=tuple(str(role.label) for role in Role if role in scope.roles),
        unit_name=unit_name or "",
        department_name=department_name or "",
        holds_api_token=bool(holds_api_token),
    )


def _name_of(model: type[Unit | Department], pk: int | None) -> Subquery | Value:
    if pk is None:
        return Value("")
    return Subquery(model.objects.filter(pk=pk).values("name")[:1])
