"""Production: every secret comes from the environment; nothing has a default."""

from indgang.conf.base import *  # noqa: F403
from indgang.conf.env import config_bool

SECURE_SSL_REDIRECT = config_bool(
    "INDGANG_SECURE_SSL_REDIRECT", True, help="Redirect http to https (off behind a TLS proxy)."
)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer polls the health check over plain http, behind its TLS.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
