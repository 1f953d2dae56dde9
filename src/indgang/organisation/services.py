"""Writes: set up the municipality's organisation and its staff."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indgang.organisation.constants import Role
from indgang.organisation.models import (
    TOKEN_NAME_LENGTH,
    ApiToken,
    Department,
    Municipality,
    RoleAssignment,
    Unit,
    digest_of,
)


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
