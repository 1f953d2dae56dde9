import os

from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.conf.production")

from indgang.common.handlers import get_application  # noqa: E402 - needs the settings module

application = get_application()
# Import every view now, as the worker starts: else the first request of each new worker
# waits a second or more for them (and for scikit-learn, which triage imports).
get_resolver().url_patterns  # noqa: B018 - evaluated for its import
