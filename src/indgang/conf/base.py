"""Settings shared by every environment. Each environment variable is read here, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from indgang.conf.env import MissingSettingError, config, config_bool, config_list

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
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "indgang.common",
    "indgang.organisation",
    "indgang.signin",
    "indgang.catalogue",
    "indgang.parties",
    "indgang.contacts",
    "indgang.bookings",
    "indgang.audit",
    "indgang.overview",
    "indgang.knowledge",
    "indgang.search",
    "indgang.triage",
    "indgang.deadlines",
    "indgang.statistics",
    "indgang.journal",
    "indgang.cases",
    "indgang.letters",
    "indgang.demo",
    "indgang.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files never reach it; every other answer is not to be stored.
    "indgang.signin.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "indgang.common.inputs.InputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an ended session says why on the login page.
    "indgang.signin.middleware.SessionTimeoutMiddleware",
    "indgang.signin.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a login refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "indgang.organisation.context_processors.frame",
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
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out user name and address before the password
    # is checked.
    "indgang.signin.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Answers only the callback of the staff provider (STAFF_OIDC), and only when it is set up.
    "indgang.organisation.sso.StaffOidcBackend",
]

# Sign-in: lockout after failed logins and API token guessing (django-axes), sessions.
LOGIN_FAILURE_LIMIT = int(
    config(
        "INDGANG_LOGIN_FAILURE_LIMIT",
        "10",
        help=(
            "Failed logins with one user name from one address before both are locked out "
            "(the login page and the admin)."
        ),
    )
)
API_TOKEN_FAILURE_LIMIT = int(
    config(
        "INDGANG_API_TOKEN_FAILURE_LIMIT",
        "20",
        help=(
            "Refused API tokens (unknown, expired or revoked) sent from one address before the "
            "address is locked out."
        ),
    )
)
LOCKOUT_MINUTES = int(
    config(
        "INDGANG_LOCKOUT_MINUTES",
        "30",
        help=(
            "How long a lockout lasts, in minutes (0: until an administrator lifts it "
            "with `indgang axes_reset`)."
        ),
    )
)
TRUSTED_PROXIES = int(
    config(
        "INDGANG_TRUSTED_PROXIES",
        "0",
        help=(
            "Reverse proxies in front of Indgang that append the client's address to "
            "X-Forwarded-For; lockouts count by that address (0: the connection's address)."
        ),
    )
)
AXES_FAILURE_LIMIT = "indgang.signin.selectors.failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES) if LOCKOUT_MINUTES else None
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "indgang.signin.selectors.client_address"
AXES_LOCKOUT_CALLABLE = "indgang.signin.views.locked_out"
# Axes logs each failure with the user name and address at WARNING; the lockout itself is enough.
AXES_VERBOSE = False

SESSION_IDLE_MINUTES = int(
    config(
        "INDGANG_SESSION_IDLE_MINUTES",
        "30",
        help="Minutes without a request after which a staff session ends.",
    )
)
SESSION_HOURS = int(
    config(
        "INDGANG_SESSION_HOURS",
        "10",
        help="Hours after login after which a staff session ends, however active.",
    )
)
SESSION_COOKIE_AGE = SESSION_HOURS * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "Indgang"

# No inline scripts or styles anywhere: scripts and styles come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Staff single sign-on by OpenID Connect (organisation.sso, common.oidc); off without an issuer.
STAFF_OIDC = {
    "name": config(
        "INDGANG_STAFF_OIDC_NAME",
        "Microsoft Entra ID",
        help="Staff single sign-on: the provider's name on the sign-in button (Log ind med …).",
    ),
    "issuer": config(
        "INDGANG_STAFF_OIDC_ISSUER",
        "",
        help=(
            "Staff single sign-on: the OpenID Connect issuer; its endpoints are read from "
            "<issuer>/.well-known/openid-configuration. Empty: password sign-in only. Entra ID: "
            "https://login.microsoftonline.com/<tenant id>/v2.0; ADFS: https://<host>/adfs."
        ),
    ),
    "client_id": config(
        "INDGANG_STAFF_OIDC_CLIENT_ID", "", help="Staff single sign-on: Indgang's client id."
    ),
    "client_secret": config(
        "INDGANG_STAFF_OIDC_CLIENT_SECRET",
        "",
        help="Staff single sign-on: Indgang's client secret.",
        secret=True,
    ),
    "scopes": config(
        "INDGANG_STAFF_OIDC_SCOPES",
        "openid profile email",
        help="Staff single sign-on: the scopes asked for, separated by spaces.",
    ),
    "claim": config(
        "INDGANG_STAFF_OIDC_CLAIM",
        "preferred_username",
        help=(
            "Staff single sign-on: the claim that names the user (preferred_username, email, "
            "upn, oid …), matched with INDGANG_STAFF_OIDC_USER_FIELD."
        ),
    ),
    "user_field": config(
        "INDGANG_STAFF_OIDC_USER_FIELD",
        "username",
        help="Staff single sign-on: the user's field the claim must equal: username or email.",
    ),
    "create_users": config_bool(
        "INDGANG_STAFF_OIDC_CREATE_USERS",
        False,
        help=(
            "Staff single sign-on: create a user, without roles, the first time someone the "
            "provider knows signs in. Off: only users loaded beforehand may sign in."
        ),
    ),
    "required_acr": config_list(
        "INDGANG_STAFF_OIDC_REQUIRED_ACR",
        "",
        help="Staff single sign-on: comma-separated acr values; the ID token must have one.",
    ),
    "required_amr": config_list(
        "INDGANG_STAFF_OIDC_REQUIRED_AMR",
        "",
        help=(
            "Staff single sign-on: comma-separated amr values (e.g. mfa) of which the ID token "
            "must list one: the provider's second factor."
        ),
    ),
    "sign_algorithm": config(
        "INDGANG_STAFF_OIDC_SIGN_ALGORITHM",
        "RS256",
        help="Staff single sign-on: the ID token's signature algorithm.",
    ),
    "callback_url_name": "staff-oidc-callback",
}
if STAFF_OIDC["issuer"] and not (STAFF_OIDC["client_id"] and STAFF_OIDC["client_secret"]):
    raise MissingSettingError(
        "INDGANG_STAFF_OIDC_CLIENT_ID and INDGANG_STAFF_OIDC_CLIENT_SECRET must be set "
        "with INDGANG_STAFF_OIDC_ISSUER."
    )
if STAFF_OIDC["user_field"] not in {"username", "email"}:
    raise MissingSettingError("INDGANG_STAFF_OIDC_USER_FIELD must be username or email.")

LANGUAGE_CODE = config("INDGANG_LANGUAGE", "da", help="Default language of the UI: da or en.")
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd.mm.yyyy and "kl. HH:MM" on every page (conf/formats/).
FORMAT_MODULE_PATH = ["indgang.conf.formats"]
TIME_ZONE = config("INDGANG_TIME_ZONE", "Europe/Copenhagen", help="The municipality's time zone.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Journal documents: encrypted (common.filecrypt) in the default storage, under MEDIA_ROOT.
# There is no MEDIA_URL: files are only served through the views that check permission.
MEDIA_ROOT = Path(
    config(
        "INDGANG_MEDIA_ROOT",
        str(VAR_DIR / "media"),
        help=(
            "Folder for uploaded documents, stored encrypted: outside the code tree, on a "
            "mounted volume shared by every web process in production."
        ),
        shown_default="$INDGANG_VAR_DIR/media",
    )
).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DOCUMENT_KEY = config(
    "INDGANG_DOCUMENT_KEY",
    "",
    help=(
        "Secret that encrypts uploaded documents at rest (a long random string, e.g. "
        "`indgang generate-cpr-key`); empty: derived from INDGANG_CPR_KEY. Changing it makes "
        "stored documents unreadable."
    ),
)
DOCUMENT_MAX_BYTES = (
    int(
        config(
            "INDGANG_DOCUMENT_MAX_MB",
            "25",
            help="Largest document accepted for upload, in megabytes (MiB).",
        )
    )
    * 1024
    * 1024
)
DOCUMENT_TYPES = config_list(
    "INDGANG_DOCUMENT_TYPES",
    ",".join(
        [
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/tiff",
            "text/plain",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
            "message/rfc822",
            "application/vnd.ms-outlook",
        ]
    ),
    help=(
        "Comma-separated media types of the documents accepted, as their content shows them "
        "(libmagic), whatever the file is called."
    ),
)
CLAMAV_URL = config(
    "INDGANG_CLAMAV_URL",
    "",
    help=(
        "ClamAV daemon that scans every uploaded document: tcp://host:3310 or the path of its "
        "unix socket. Empty: no scan. When set and the daemon does not answer, uploads are "
        "refused."
    ),
)
CLAMAV_TIMEOUT_SECONDS = float(
    config(
        "INDGANG_CLAMAV_TIMEOUT_SECONDS",
        "30",
        help="How long an upload waits for the ClamAV daemon before it is refused.",
    )
)
# An upload is held in memory up to DOCUMENT_MAX_BYTES, never in a plain temporary file, and
# what goes beyond is counted, not kept, so the service can refuse it by its real size.
FILE_UPLOAD_HANDLERS = ["indgang.common.uploads.BoundedMemoryUploadHandler"]
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
        "indgang.signin.api.authentication.ScopedTokenAuthentication",
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
    # No deep links: Swagger UI then puts a link inside each operation's toggle button, a control
    # inside a control that screen readers cannot reach (axe-core: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
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
        "CaseActionEnum": "indgang.cases.constants.CaseAction",
        "CaseStateEnum": "indgang.cases.constants.CaseState",
        "DecisionOutcomeEnum": "indgang.cases.constants.DecisionOutcome",
        "ServiceNeedTypeEnum": "indgang.cases.constants.ServiceNeedType",
        "HearingKindEnum": "indgang.cases.constants.HearingKind",
        "CaseKindEnum": "indgang.cases.constants.CaseKind",
        "PartyKindEnum": "indgang.parties.constants.PartyKind",
        "BookingStatusEnum": "indgang.bookings.constants.BookingStatus",
        # The queue's desks take a subset of the contacts' outcomes; both keep a name of their own.
        "OutcomeEnum": "indgang.contacts.constants.Outcome",
        "DeskOutcomeEnum": "indgang.bookings.api.queue_serializers.DESK_OUTCOME_CHOICES",
        # The name the deadlines' status had before bookings brought a second `status`.
        "StatusEnum": "indgang.deadlines.constants.DeadlineStatus",
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
            "named by new contacts (0: ask the database on every request). A revoked token, "
            "a changed role or a retired task takes effect within this time."
        ),
    )
)

API_TOKEN_DAYS = int(
    config(
        "INDGANG_API_TOKEN_DAYS",
        "365",
        help="How many days a new API token is valid when its issuer names no other time.",
    )
)
API_TOKEN_MAX_DAYS = int(
    config(
        "INDGANG_API_TOKEN_MAX_DAYS",
        "730",
        help="The longest validity, in days, an API token may be issued with.",
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

# Bookings: when the party is reminded of a booked meeting.
BOOKING_REMINDER_WORKING_DAYS = int(
    config(
        "INDGANG_BOOKING_REMINDER_WORKING_DAYS",
        "1",
        help=(
            "How many working days before a booked meeting the party gets a reminder by e-mail, "
            "at the meeting's time of day (0: no reminder)."
        ),
    )
)

# Letters: the letterhead, the plain-language limit and the transports of the outbox.
LETTERS_SENDER_NAME = config(
    "INDGANG_LETTERS_SENDER_NAME", "Kommunen", help="The municipality's name in the letterhead."
)
LETTERS_SENDER_ADDRESS = config(
    "INDGANG_LETTERS_SENDER_ADDRESS", "", help="The postal address in the letterhead."
)
LETTERS_SENDER_CONTACT = config(
    "INDGANG_LETTERS_SENDER_CONTACT",
    "",
    help="Phone and e-mail in the letterhead, where recipients ask about a letter.",
)
LETTERS_SENDER_CVR = config(
    "INDGANG_LETTERS_SENDER_CVR",
    "00000000",
    help="The municipality's CVR number: the letterhead and the Digital Post sender (MeMo).",
)
LETTERS_LIX_LIMIT = float(
    config(
        "INDGANG_LETTERS_LIX_LIMIT",
        "40",
        help="The template editor warns when a letter's LIX readability score is above this.",
    )
)
LETTERS_TRANSPORTS = config_list(
    "INDGANG_LETTERS_TRANSPORTS",
    "file,email,digital_post",
    help="The ways letters may be sent, among file, email and digital_post.",
)
# Self-service advice (statistics.funnels.self_service_advice), from seed 004.
SELF_SERVICE_RETIRE_BELOW = float(
    config(
        "INDGANG_SELF_SERVICE_RETIRE_BELOW",
        "100",
        help=(
            "A self-service solution completed fewer times a year than this is advised retired "
            "(seed 004: 82 % of 295 municipal solutions had under 100 transactions a year)."
        ),
    )
)
SELF_SERVICE_FIX_ABANDONED_PER_COMPLETED = float(
    config(
        "INDGANG_SELF_SERVICE_FIX_ABANDONED_PER_COMPLETED",
        "3.75",
        help=(
            "A self-service solution abandoned this many times or more per completed attempt is "
            "advised fixed (seed 004: 3.75 nationally)."
        ),
    )
)
SELF_SERVICE_MIN_STARTED = int(
    config(
        "INDGANG_SELF_SERVICE_MIN_STARTED",
        "20",
        help="Attempts a self-service solution needs in the period before it is advised fixed.",
    )
)
CASES_LETTER_TRANSPORT = config(
    "INDGANG_CASES_LETTER_TRANSPORT",
    "digital_post",
    help=(
        "How a case's letters go out: digital_post (the national mailbox, as MeMo), email "
        "(to the party's e-mail address) or file (for a print service)."
    ),
)
LETTERS_SPOOL_DIR = Path(
    config(
        "INDGANG_LETTERS_SPOOL_DIR",
        str(VAR_DIR / "letters"),
        help=(
            "Folder where the file transport and the Digital Post transport (MeMo XML) write "
            "outgoing letters, for the print service or the Digital Post gateway to collect."
        ),
        shown_default="$INDGANG_VAR_DIR/letters",
    )
).resolve()

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
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # django-axes tells each failed login at INFO; its warnings (lockouts) are enough.
        "axes": {"level": "WARNING"},
        # WeasyPrint and the font subsetter it drives tell every step of each PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
