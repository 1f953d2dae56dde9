"""Tests: the same settings as development, with fast password hashing."""

from indgang.conf.dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background tasks run at once after commit, in the test's own thread and transaction.
TASK_BACKEND = "immediate"

# Each request asks the database for its token and tasks, so that a test sees what it changed
# at once and counts each request's own queries; organisation/tests/test_api_tokens.py and
# contacts/tests/test_api.py turn the cache on to test it.
API_CACHE_SECONDS = 0.0
