"""Reads: who may see which statistics.

Stand-in for the rollups branch (i20-rollups), which owns this module: the same signatures, to
be replaced by theirs at the merge.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from indgang.organisation.constants import Role
from indgang.organisation.selectors import Scope


class StatisticsRefused(PermissionDenied):
    """The user may not see these statistics; the message says why, in Danish."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Only managers and administrators may see statistics."))


def statistics_scope(scope: Scope) -> frozenset[int] | None:
    """Departments whose statistics the user may see; None = all (administrators).
    Managers see their departments; front line and caseworkers see none (refused)."""
    if scope.sees_all:
        return None
    managed = frozenset(
        department for role, department, _unit in scope.assignments if role == Role.MANAGER
    )
    if not managed:
        raise StatisticsRefused()
    return managed
