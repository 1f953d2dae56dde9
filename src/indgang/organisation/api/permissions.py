from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from indgang.organisation.requests import SCOPE_ATTRIBUTE, remember_scope
from indgang.organisation.selectors import Scope, get_scope


class IsStaff(BasePermission):
    """Any user with a role in the municipality; the scope is kept on the request for the view."""

    message = _("You have no role in the municipality and cannot use the API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user  # authenticates; token authentication remembers the scope
        scope = getattr(request, SCOPE_ATTRIBUTE, None)
        if not isinstance(scope, Scope):
            scope = get_scope(user=user)
            remember_scope(request, scope)
        return scope.is_staff
