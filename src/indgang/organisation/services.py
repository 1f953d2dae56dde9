"""Writes: set up the municipality's organisation and its staff."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from indgang.common.imports import record_import
from indgang.common.models import ImportKind
from indgang.organisation.constants import ChangeVia, Role, RoleChangeAction
from indgang.organisation.models import (
    TOKEN_NAME_LENGTH,
    ApiToken,
    Department,
    Municipality,
    RoleAssignment,
    RoleChange,
    Unit,
    digest_of,
)
from indgang.organisation.orgfile import (
    OrganisationFileError,
    OrganisationRecords,
    Problem,
    RoleRecord,
)

CREATED, UPDATED, UNCHANGED, REMOVED = "created", "updated", "unchanged", "removed"
M = TypeVar("M", bound=models.Model)


def _upsert(model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[M, str]:
    """The row with `lookup`, created or brought to `values`; and whether it was created,
    updated or left unchanged (an unchanged row is not written)."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        return model._default_manager.create(**lookup, **values), CREATED
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
    return row, UPDATED if changed else UNCHANGED


def ensure_municipality(*, code: str, name: str) -> Municipality:
    return _upsert(Municipality, {"code": code}, {"name": name})[0]


def ensure_department(*, municipality: Municipality, abbreviation: str, name: str) -> Department:
    return _upsert(
        Department, {"municipality": municipality, "abbreviation": abbreviation}, {"name": name}
    )[0]


def ensure_unit(*, department: Department, name: str, is_frontline: bool = False) -> Unit:
    return _upsert(Unit, {"department": department, "name": name}, {"is_frontline": is_frontline})[
        0
    ]


@transaction.atomic
def ensure_staff_user(
    *,
    username: str,
    password: str,
    full_name: str,
    roles: list[tuple[Role, Department, Unit | None]],
) -> User:
    """Create or reset a staff user with exactly these role assignments."""
    user, _created = User.objects.update_or_create(
        username=username, defaults={**_names(full_name), "is_active": True}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    RoleAssignment.objects.filter(user=user).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, department=department, unit=unit)
        for role, department, unit in roles
    )
    return user


def create_signed_on_user(*, username: str, email: str, first_name: str, last_name: str) -> User:
    """A user first met through single sign-on: no roles and no usable password, so they sign
    in only through the provider and see nothing until an administrator gives them a role."""
    user = User(
        username=username[:150],
        email=email[:254],
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret: the only time the secret is known."""

    token: ApiToken
    secret: str


def issue_api_token(
    *, user: User, name: str, expires_in_days: int | None, now: dt.datetime
) -> IssuedToken:
    """Issue an API token for `user`, valid for `expires_in_days` (INDGANG_API_TOKEN_DAYS when
    None, at most INDGANG_API_TOKEN_MAX_DAYS); only its digest is stored."""
    days = settings.API_TOKEN_DAYS if expires_in_days is None else expires_in_days
    longest: int = settings.API_TOKEN_MAX_DAYS
    errors: dict[str, str] = {}
    if not 1 <= days <= longest:
        errors["expires_in_days"] = _("A token is valid for 1 to %(days)d days.") % {
            "days": longest
        }
    name = name.strip()
    if not name or len(name) > TOKEN_NAME_LENGTH:
        errors["name"] = _("Give the token a name of 1 to 100 characters.")
    if not user.is_active:
        errors["user"] = _("The user is not active.")
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:8],
        digest=digest_of(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return IssuedToken(token=token, secret=secret)


def revoke_api_token(*, token: ApiToken, now: dt.datetime) -> ApiToken:
    """Revoke the token from `now` (a revoked token stays revoked; its time is kept)."""
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
    return token


def _names(full_name: str) -> dict[str, str]:
    first, _sep, last = full_name.partition(" ")
    return {"first_name": first, "last_name": last}


# --------------------------------------------------------------------------------------------
# Roles, as administrators change them on the roles screen and the import does
# --------------------------------------------------------------------------------------------


def _record(
    *,
    user: User,
    action: RoleChangeAction,
    by: User | None,
    via: ChangeVia,
    now: dt.datetime,
    assignment: RoleAssignment | None = None,
) -> None:
    RoleChange.objects.create(
        at=now,
        by=by,
        via=via,
        user=user,
        action=action,
        role=assignment.role if assignment else "",
        department=assignment.department.name if assignment else "",
        unit=assignment.unit.name if assignment and assignment.unit else "",
    )


@transaction.atomic
def assign_role(
    *,
    user: User,
    role: Role,
    department: Department,
    unit: Unit | None,
    by: User | None,
    via: ChangeVia,
    now: dt.datetime,
) -> RoleAssignment:
    """Give a staff user a role in a department, optionally in one unit of it; recorded."""
    if unit is not None and unit.department_id != department.pk:
        raise ValidationError(
            _("The unit %(unit)s is not part of %(department)s.")
            % {"unit": unit.name, "department": department.name}
        )
    if RoleAssignment.objects.filter(user=user, role=role, department=department).exists():
        raise ValidationError(
            _("%(user)s already has the role %(role)s in %(department)s.")
            % {"user": user.username, "role": Role(role).label, "department": department.name}
        )
    assignment = RoleAssignment.objects.create(
        user=user, role=role, department=department, unit=unit
    )
    _record(
        user=user, action=RoleChangeAction.ASSIGNED, by=by, via=via, now=now, assignment=assignment
    )
    return assignment


@transaction.atomic
def remove_role(
    *, assignment: RoleAssignment, by: User | None, via: ChangeVia, now: dt.datetime
) -> None:
    """Take a role from a staff user; recorded. Nobody removes their own administrator role,
    so an administration always keeps someone who can undo a mistake."""
    if by is not None and assignment.user_id == by.pk and assignment.role == Role.ADMIN:
        raise ValidationError(
            _("You cannot remove your own administrator role; another administrator can.")
        )
    _record(
        user=assignment.user,
        action=RoleChangeAction.REMOVED,
        by=by,
        via=via,
        now=now,
        assignment=assignment,
    )
    assignment.delete()


@transaction.atomic
def set_user_active(*, user: User, active: bool, by: User, now: dt.datetime) -> None:
    """Deactivate a staff user (they can no longer sign in or use their API token, and keep
    their history) or reactivate them; recorded. Superusers are changed only by superusers."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate or reactivate yourself."))
    if user.is_superuser and not by.is_superuser:
        raise ValidationError(_("Only a superuser can deactivate or reactivate a superuser."))
    if user.is_active == active:
        message = (
            _("%(user)s is already active.") if active else _("%(user)s is already deactivated.")
        )
        raise ValidationError(message % {"user": user.username})
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = RoleChangeAction.REACTIVATED if active else RoleChangeAction.DEACTIVATED
    _record(user=user, action=action, by=by, via=ChangeVia.SCREEN, now=now)


# --------------------------------------------------------------------------------------------
# `indgang import-organisation`
# --------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import changed, by kind (municipality, department, unit, user, role)."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    new_users: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c[CREATED] or c[UPDATED] or c[REMOVED] for c in self.counts.values())


@transaction.atomic
def import_organisation(
    *,
    records: OrganisationRecords,
    now: dt.datetime,
    progress: Callable[[str], None],
    source: str = "",
) -> ImportReport:
    """Bring the organisation to what the file says, in one transaction.

    The municipality, departments and units are created or updated (never deleted). Each staff
    user in the file is created (without a usable password) or updated, and ends with exactly
    the roles the file gives them; role changes are recorded as the roles screen's are.
    Staff not in the file, and every user's password and active state, are left alone.
    Raise OrganisationFileError, writing nothing, if a role names a department or unit that is
    neither in the file nor in the database.
    """
    _check_references(records)
    report = ImportReport()
    kinds = {
        "municipality": _("municipality"),
        "department": _("department"),
        "unit": _("unit"),
        "user": _("user"),
        "role": _("role"),
    }
    changes = {CREATED: _("created"), UPDATED: _("updated"), REMOVED: _("removed")}

    def note(kind: str, name: str, change: str) -> None:
        report.counts.setdefault(kind, Counter())[change] += 1
        if change != UNCHANGED:
            progress(
                _("%(kind)s %(name)s: %(change)s")
                % {"kind": kinds[kind], "name": name, "change": changes[change]}
            )

    municipality, change = _upsert(
        Municipality, {"code": records.municipality_code}, {"name": records.municipality_name}
    )
    note("municipality", f"{municipality.code} {municipality.name}", change)
    departments = {d.abbreviation: d for d in municipality.departments.all()}
    for record in records.departments:
        department, change = _upsert(
            Department,
            {"municipality": municipality, "abbreviation": record.abbreviation},
            {"name": record.name},
        )
        departments[record.abbreviation] = department
        note("department", f"{record.abbreviation} {record.name}", change)
    units = {
        (u.department.abbreviation, u.name): u
        for u in Unit.objects.filter(department__municipality=municipality).select_related(
            "department"
        )
    }
    for unit_record in records.units:
        unit, change = _upsert(
            Unit,
            {"department": departments[unit_record.department], "name": unit_record.name},
            {"is_frontline": unit_record.is_frontline},
        )
        units[unit_record.department, unit_record.name] = unit
        note("unit", f"{unit_record.department}/{unit_record.name}", change)
    for staff in records.staff:
        user, change = _upsert(
            User, {"username": staff.username}, {**_names(staff.full_name), "email": staff.email}
        )
        if change == CREATED:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            report.new_users.append(user.username)
        note("user", user.username, change)
        wanted: dict[tuple[str, int], tuple[RoleRecord, Unit | None]] = {
            (r.role.value, departments[r.department].pk): (
                r,
                units[r.department, r.unit] if r.unit else None,
            )
            for r in staff.roles
        }
        held = {
            (a.role, a.department_id): a
            for a in RoleAssignment.objects.filter(user=user).select_related("department", "unit")
        }
        for key, assignment in held.items():
            if key not in wanted or _unit_id(wanted[key][1]) != assignment.unit_id:
                remove_role(assignment=assignment, by=None, via=ChangeVia.IMPORT, now=now)
                if key not in wanted:
                    note("role", _role_name(user, assignment), REMOVED)
        for key, (wanted_record, unit_or_none) in wanted.items():
            earlier = held.get(key)
            if earlier is not None and earlier.unit_id == _unit_id(unit_or_none):
                report.counts.setdefault("role", Counter())[UNCHANGED] += 1
                continue
            assignment = assign_role(
                user=user,
                role=Role(key[0]),
                department=departments[wanted_record.department],
                unit=unit_or_none,
                by=None,
                via=ChangeVia.IMPORT,
                now=now,
            )
            note("role", _role_name(user, assignment), CREATED if earlier is None else UPDATED)
    record_import(
        kind=ImportKind.ORGANISATION,
        source=source,
        records=1 + len(records.departments) + len(records.units) + len(records.staff),
        changed=sum(c[CREATED] + c[UPDATED] + c[REMOVED] for c in report.counts.values()),
        now=now,
    )
    return report


def _unit_id(unit: Unit | None) -> int | None:
    return unit.pk if unit is not None else None


def _role_name(user: User, assignment: RoleAssignment) -> str:
    place = assignment.department.abbreviation
    if assignment.unit is not None:
        place += f"/{assignment.unit.name}"
    return f"{user.username} {Role(assignment.role).label} ({place})"


def _check_references(records: OrganisationRecords) -> None:
    """Every role names a department and unit that the file or the database has."""
    code = records.municipality_code
    departments = {d.abbreviation for d in records.departments} | set(
        Department.objects.filter(municipality__code=code).values_list("abbreviation", flat=True)
    )
    units = {(u.department, u.name) for u in records.units} | set(
        Unit.objects.filter(department__municipality__code=code).values_list(
            "department__abbreviation", "name"
        )
    )
    problems = []
    for staff in records.staff:
        for role in staff.roles:
            if role.department not in departments:
                problems.append(
                    Problem(
                        role.line,
                        _("The department %(code)s is neither in the file nor in Indgang.")
                        % {"code": role.department},
                    )
                )
            elif role.unit is not None and (role.department, role.unit) not in units:
                problems.append(
                    Problem(
                        role.line,
                        _("The department %(code)s has no unit %(unit)r.")
                        % {"code": role.department, "unit": role.unit},
                    )
                )
    if problems:
        raise OrganisationFileError(problems)
