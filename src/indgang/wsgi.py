import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "indgang.conf.production")
application = get_wsgi_application()
# Import every view now, as the worker starts: else the first request of each new worker
# waits a second or more for them (and for scikit-learn, which triage imports).
get_resolver().url_patterns  # noqa: B018 - evaluated for its import
