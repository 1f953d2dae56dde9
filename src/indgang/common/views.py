"""The health check a load balancer polls (no login, no personal data, no access log), and the
error answers Django gives outside a view: JSON under /api/, a page elsewhere."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as server_error_page

BODY_TOO_LARGE = _("The request is too large: at most %(limit)s bytes.")


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 while this process can reach its database, else 503: take it out of rotation."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, *, status: int, message: str) -> HttpResponseBase:
    """An error that names the problem: `{"detail": …}` for the API, a page for a browser."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """handler400: Django's refusals of a request as such (a form post too large among them)."""
    if isinstance(exception, RequestDataTooBig):
        return body_too_large(request)
    return refusal(request, status=400, message=str(_("The request could not be read.")))


def too_large_message() -> str:
    return str(BODY_TOO_LARGE % {"limit": f"{settings.MAX_REQUEST_BYTES:,}"})


def body_too_large(request: HttpRequest) -> HttpResponseBase:
    return refusal(request, status=413, message=too_large_message())


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """handler403: the refusal's own reason where it gives one (a 360 without a reason, say)."""
    reason = str(exception)
    if is_api(request):
        return refusal(request, status=403, message=reason or str(_("You may not do this.")))
    return render(request, "403.html", {"exception": reason}, status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if is_api(request):
        return refusal(request, status=404, message=str(_("Not found, or you may not see it.")))
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """handler500: JSON for the API; elsewhere templates/500.html, which needs no request, no
    database and no base.html, so that it cannot fail in turn."""
    if is_api(request):
        return JsonResponse({"detail": str(_("Something went wrong on the server."))}, status=500)
    return server_error_page(request)
