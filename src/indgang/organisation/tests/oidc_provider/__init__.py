"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit with OIDC
in a Django project of its own, run as a separate process on 127.0.0.1 with its own SQLite
database (`python -m indgang.organisation.tests.oidc_provider`). The tests' fixture starts and
stops it (organisation/tests/conftest.py)."""
