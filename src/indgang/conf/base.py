"""Settings shared by every environment. Each environment variable is read here, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from indgang.conf.env import config, config_bool, config_list

# Lets generic classes such as ModelAdmin[Model] be subscripted at run time, as the type
# stubs declare them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(
    config("INDGANG_VAR_DIR", "var", help="Folder for the embedded database and other local state.")
).resolve()

SECRET_KEY = config(
    "INDGANG_SECRET_KEY",
    None,
    help="Django's secret key: signs sessions and tokens. Long and random in production.",
    secret=True,
)
CPR_KEY = config(
    "INDGANG_CPR_KEY",
    None,
    help=(
        "Key that encrypts CPR numbers at rest and keys their look-up digest "
        "(a Fernet key: `indgang generate-cpr-key`). Changing it makes stored CPR unreadable."
    ),
    secret=True,
)
DEBUG = config_bool(
    "INDGANG_DEBUG", False, help="Show tracebacks in the browser. Never in production."
)
ALLOWED_HOSTS = config_list(
    "INDGANG_ALLOWED_HOSTS", "localhost,127.0.0.1", help="Comma-separated host names served."
)
CSRF_TRUSTED_ORIGINS = config_list(
    "INDGANG_CSRF_TRUSTED_ORIGINS",
    "",
    help="Comma-separated origins (https://…) trusted for forms.",
)

DATABASES = {
    "default": dj_database_url.parse(
        config(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'indgang.sqlite3'}",
            help="Database URL: the embedded SQLite file by default, postgres://… in production.",
            shown_default="sqlite:///$INDGANG_VAR_DIR/indgang.sqlite3",
        ),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
PREPARED_STATEMENTS = config_bool(
    "INDGANG_DB_PREPARED_STATEMENTS",
    True,
    help=(
        "PostgreSQL: bind parameters on the server and prepare repeated statements (a quarter "
        "less database CPU per registered contact). Off behind PgBouncer in transaction "
        "pooling before version 1.21."
    ),
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that asks the socket instead of sending SELECT 1.
    DATABASES["default"]["ENGINE"] = "indgang.common.postgresql"
    if PREPARED_STATEMENTS:
        # psycopg prepares a statement from its second run; the same few statements run on
        # every request, so the server parses and plans each once per connection.
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database take concurrent writers without errors.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "indgang.common",
    "indgang.organisation",
    "indgang.catalogue",
    "indgang.parties",
    "indgang.contacts",
    "indgang.audit",
    "indgang.overview",
    "indgang.knowledge",
    "indgang.search",
    "indgang.triage",
    "indgang.deadlines",
    "indgang.journal",
    "indgang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "indgang.common.inputs.InputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "indgang.urls"
WSGI_APPLICATION = "indgang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "front-desk"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = config("INDGANG_LANGUAGE", "da", help="Default language of the UI: da or en.")
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = config("INDGANG_TIME_ZONE", "Europe/Copenhagen", help="The municipality's time zone.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
MAX_REQUEST_BYTES = int(
    config(
        "INDGANG_MAX_REQUEST_BYTES",
        "1048576",
        help=(
            "Largest request body taken, in bytes (file uploads excepted); a larger one is "
            "refused with 413."
        ),
    )
)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "indgang.organisation.api.permissions.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["indgang.organisation.api.permissions.IsStaff"],
    "DEFAULT_SCHEMA_CLASS": "indgang.common.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "indgang.common.parsers.JSONParser",
        "indgang.common.parsers.FormParser",
        "indgang.common.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "indgang.common.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "indgang.common.api.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["indgang.common.renderers.JSONRenderer"],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "indgang.common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Indgang API",
    "DESCRIPTION": "Contacts from every channel, the task catalogue, KLE and the citizen 360.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: the municipal network need not reach a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps name a field "kind" or "direction" with different choices.
    # `<id:…>` (common.inputs.IdConverter): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    # Every operation documents the errors it answers with (common.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "indgang.common.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DeadlineKindEnum": "indgang.deadlines.constants.DeadlineKind",
        "JournalKindEnum": "indgang.journal.constants.JournalKind",
        "DocumentDirectionEnum": "indgang.journal.constants.DocumentDirection",
        "ContactDirectionEnum": "indgang.contacts.constants.Direction",
    },
}

TASK_BACKEND = config(
    "INDGANG_TASK_BACKEND",
    "embedded",
    help=(
        "Where background tasks run: embedded (threads in each process, no extra service) "
        "or celery (workers on Redis: `celery -A indgang worker`)."
    ),
)
EMBEDDED_TASK_WORKERS = int(
    config("INDGANG_EMBEDDED_TASK_WORKERS", "2", help="Threads per process for embedded tasks.")
)
CELERY_BROKER_URL = config(
    "INDGANG_CELERY_BROKER_URL",
    "redis://127.0.0.1:6379/0",
    help="Redis URL of the Celery broker (with INDGANG_TASK_BACKEND=celery).",
)
CELERY_TASK_DEFAULT_QUEUE = config(
    "INDGANG_CELERY_QUEUE",
    "indgang",
    help="Celery queue name; deployments that share one Redis need different names.",
)
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
SCHEDULER_TICK_SECONDS = float(
    config(
        "INDGANG_SCHEDULER_TICK_SECONDS",
        "30",
        help=(
            "How often the scheduler looks for due periodic tasks: the thread in "
            "`indgang serve`, or `celery -A indgang beat` in production."
        ),
    )
)
# Beat sends one tick; the tick dispatches every periodic task declared with @task(schedule=…).
# A tick not started within its own period is dropped: the next one does its work.
CELERY_BEAT_SCHEDULE = {
    "indgang-tick": {
        "task": "indgang.tick",
        "schedule": SCHEDULER_TICK_SECONDS,
        "options": {"expires": SCHEDULER_TICK_SECONDS},
    }
}

TRIAGE_THRESHOLD = float(
    config(
        "INDGANG_TRIAGE_THRESHOLD",
        "0.5",
        help=(
            "Triage: the confidence (0-1) from which a contact without a task is routed "
            "automatically; below it the contact waits in the human triage queue."
        ),
    )
)

API_CACHE_SECONDS = float(
    config(
        "INDGANG_API_CACHE_SECONDS",
        "1",
        help=(
            "How long a web process remembers an API token's user and roles, and a task "
            "named by new contacts (0: ask the database on every request). A deleted token, "
            "a changed role or a retired task takes effect within this time."
        ),
    )
)

EMAIL_BACKEND = config(
    "INDGANG_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    help=(
        "How reminders and digests are e-mailed: the console by default; in production "
        "django.core.mail.backends.smtp.EmailBackend with INDGANG_EMAIL_HOST."
    ),
)
EMAIL_HOST = config("INDGANG_EMAIL_HOST", "localhost", help="SMTP server for e-mail.")
EMAIL_PORT = int(config("INDGANG_EMAIL_PORT", "25", help="SMTP port."))
DEFAULT_FROM_EMAIL = config(
    "INDGANG_DEFAULT_FROM_EMAIL",
    "indgang@localhost",
    help="Sender address of reminders and digests.",
)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal data in a log line: the database's error details and request bodies are cut
    # from every record (common.logs).
    "filters": {"no_personal_data": {"()": "indgang.common.logs.NoPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_personal_data"]}},
    "root": {
        "handlers": ["console"],
        "level": config("INDGANG_LOG_LEVEL", "INFO", help="Log level."),
    },
    # Django's default config gives the `django` logger a console handler of its own; without
    # this, every server line would print twice (once there, once at the root).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
