"""The WSGI application: Django's handler for browsers, and a leaner one for the token API.

An integration that sends a token has no session, no CSRF cookie, no messages and is never
shown in a frame; the middleware for those (and for static files) cost every API request about
3 % of its instructions (callgrind) without doing anything. Nor does it need the page-only
parts of sign-in (a CSP, the session limits, the second factor, django-axes' lockout page); the
`Cache-Control: no-store` stays, and a locked-out token gets its answer from the API itself.
Requests under /api/ that carry a token get the same settings.MIDDLEWARE without them: the
security headers, the language of the messages and the common checks stay. Everything else (the
staff UI, the API docs, API calls with a browser's session) goes through the full list.

The language comes from ApiLanguageMiddleware in place of Django's LocaleMiddleware: the same
choice (cookie, Accept-Language, LANGUAGE_CODE) and the same Vary and Content-Language headers,
without LocaleMiddleware's work for language prefixes in URLs, which the project has none of.
That was 4 % of the instructions of a registration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.authentication import TokenAuthentication

# Middleware that only serves browsers: a token-authenticated API request skips these.
BROWSER_ONLY_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "csp.middleware.CSPMiddleware",
        "indgang.signin.middleware.SessionTimeoutMiddleware",
        "indgang.signin.middleware.SecondFactorMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
API_LANGUAGE_MIDDLEWARE = "indgang.common.handlers.ApiLanguageMiddleware"
API_PREFIX = "/api/"
# The Authorization scheme of the API's tokens; DRF reads it in any case.
SCHEME = f"{TokenAuthentication.keyword.lower()} "

StartResponse = Callable[..., Any]
WSGIApplication = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class ApiLanguageMiddleware:
    """LocaleMiddleware for URLs without a language prefix: activate the request's language,
    and say in the response which it was and that it depends on Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class TokenApiHandler(WSGIHandler):
    """Django's WSGI handler with settings.MIDDLEWARE less BROWSER_ONLY_MIDDLEWARE, and with
    ApiLanguageMiddleware for LocaleMiddleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE alone; this runs once, as the
        # process starts and before it serves anything.
        every = settings.MIDDLEWARE
        settings.MIDDLEWARE = [
            API_LANGUAGE_MIDDLEWARE if path == LOCALE_MIDDLEWARE else path
            for path in every
            if path not in BROWSER_ONLY_MIDDLEWARE
        ]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = every


def is_token_api_request(environ: dict[str, Any]) -> bool:
    authorization: str = environ.get("HTTP_AUTHORIZATION", "")
    return (
        environ.get("PATH_INFO", "").startswith(API_PREFIX)
        and authorization[: len(SCHEME)].lower() == SCHEME
    )


def get_application() -> WSGIApplication:
    """The project's WSGI application (what get_wsgi_application is for a plain project)."""
    django.setup(set_prefix=False)
    browsers, token_api = WSGIHandler(), TokenApiHandler()

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        handler = token_api if is_token_api_request(environ) else browsers
        return handler(environ, start_response)

    return application
