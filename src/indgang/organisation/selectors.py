"""Reads: who a staff user is and which departments they may see."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet
from rest_framework.authtoken.models import Token

from indgang.common.caching import Rows, remembered_rows
from indgang.common.compiled import loaded
from indgang.common.rows import column as column_of
from indgang.organisation.constants import Role
from indgang.organisation.models import Department, RoleAssignment, RoleChange, Unit


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


Assignment = tuple[str, int, int | None]  # role, department id, unit id
# What get_token_owner loads of the user and the token.
USER_FIELDS = ("id", "username", "is_active")
TOKEN_FIELDS = ("key", "user_id")


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
    )


def get_token_owner(*, key: str) -> tuple[Token, Scope] | None:
    """The user an API token belongs to, with their scope, in one query; None if unknown.

    This runs on every API request, so it is one round trip with precomposed SQL rather than
    the two ORM queries (token with user, then role assignments) it replaces. The user comes
    with `username` and `is_active` loaded; any other field loads on first use.

    A known token's answer is remembered for API_CACHE_SECONDS (common.caching): a deleted
    token, a deactivated user or a changed role takes effect within that time.
    """
    alias = router.db_for_read(Token)
    rows = _token_owner_rows(alias, key)
    if not rows:
        return None
    user_id, username, is_active = rows[0][:3]
    user = loaded(User, USER_FIELDS, (user_id, username, bool(is_active)), alias)
    token = loaded(Token, TOKEN_FIELDS, (key, user_id), alias)
    token.user = user
    assignments = tuple(
        (role, department_id, unit_id)
        for *_, role, department_id, unit_id in rows
        if role is not None
    )
    return token, _scope_of_token(assignments)


@lru_cache(maxsize=1024)
def _scope_of_token(assignments: tuple[Assignment, ...]) -> Scope:
    """A Scope is frozen: every request with the same assignments can share one."""
    return scope_from_assignments(assignments)


def _token_owner_rows(alias: str, key: str) -> Rows:
    def load() -> Rows:
        with connections[alias].cursor() as cursor:
            cursor.execute(_token_owner_sql(alias), [key])
            return [tuple(row) for row in cursor.fetchall()]

    return remembered_rows("token-owner", key, load)


@cache
def _token_owner_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name

    def column(model: type[Token | User | RoleAssignment], name: str) -> str:
        return f"{quote(model._meta.db_table)}.{quote(column_of(model, name))}"

    # Identifiers come from the models' metadata, quoted; the key is a parameter.
    return (
        f"SELECT {column(User, 'id')}, {column(User, 'username')}, {column(User, 'is_active')}, "  # noqa: S608
        f"{column(RoleAssignment, 'role')}, {column(RoleAssignment, 'department')}, "
        f"{column(RoleAssignment, 'unit')} "
        f"FROM {quote(Token._meta.db_table)} "
        f"INNER JOIN {quote(User._meta.db_table)} "
        f"ON {column(User, 'id')} = {column(Token, 'user')} "
        f"LEFT OUTER JOIN {quote(RoleAssignment._meta.db_table)} "
        f"ON {column(RoleAssignment, 'user')} = {column(User, 'id')} "
        f"WHERE {column(Token, 'key')} = %s "
        f"ORDER BY {column(RoleAssignment, 'id')}"
    )


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
