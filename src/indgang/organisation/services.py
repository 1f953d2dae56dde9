"""Writes: set up the municipality's organisation and its staff."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from indgang.organisation.constants import Role
from indgang.organisation.models import Department, Municipality, RoleAssignment, Unit


def ensure_municipality(*, code: str, name: str) -> Municipality:
    municipality, _created = Municipality.objects.update_or_create(
        code=code, defaults={"name": name}
    )
    return municipality


def ensure_department(*, municipality: Municipality, abbreviation: str, name: str) -> Department:
    department, _created = Department.objects.update_or_create(
        municipality=municipality, abbreviation=abbreviation, defaults={"name": name}
    )
    return department


def ensure_unit(*, department: Department, name: str, is_frontline: bool = False) -> Unit:
    unit, _created = Unit.objects.update_or_create(
        department=department, name=name, defaults={"is_frontline": is_frontline}
    )
    return unit


@transaction.atomic
def ensure_staff_user(
    *,
    username: str,
    password: str,
    full_name: str,
    roles: list[tuple[Role, Department, Unit | None]],
) -> User:
    """Create or reset a staff user with exactly these role assignments."""
    first, _sep, last = full_name.partition(" ")
    user, _created = User.objects.update_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "is_active": True}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    RoleAssignment.objects.filter(user=user).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, department=department, unit=unit)
        for role, department, unit in roles
    )
    return user
