"""Reads: who a staff user is and which departments they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from indgang.organisation.constants import Role
from indgang.organisation.models import Department, RoleAssignment, Unit


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
    assignments = list(
        RoleAssignment.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("role", "department_id", "unit_id")
    )
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


def list_departments() -> list[Department]:
    return list(Department.objects.order_by("name"))


def list_units() -> list[Unit]:
    return list(Unit.objects.select_related("department").order_by("department__name", "name"))
