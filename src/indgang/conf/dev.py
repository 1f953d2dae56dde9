"""Local development and `make demo`: the embedded database, debug on, throwaway keys."""

import os

os.environ.setdefault("INDGANG_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
# A fixed, public key: demo CPR numbers are fictitious. Production must set its own.
os.environ.setdefault("INDGANG_CPR_KEY", "ZGV2LW9ubHktY3ByLWtleS1ub3Qtc2VjcmV0LTEyMzQ=")
os.environ.setdefault("INDGANG_DEBUG", "true")

from indgang.conf.base import *  # noqa: E402, F403
from indgang.conf.base import LOGGING, MIDDLEWARE  # noqa: E402

# runserver and the test live server serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]

# `make demo` prints its progress in Danish; the knowledge base's operator lines (one per article
# past its review date, which the demo has on purpose) would break into it in English. The flags
# themselves show in the UI, and production logs them at INFO.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "indgang.knowledge": {"level": "WARNING"}}}
