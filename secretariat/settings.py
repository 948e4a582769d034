"""Settings of the Lanzarote Back Office, read from the environment.

Safe by default: without DEBUG=1 the project runs as in production and refuses to start
without a real SECRET_KEY. Development gets DEBUG=1 and a random key from `.env`, which
`make run` and `make test` write on first use; production sets SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and EMAIL_URL in its environment (see README).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local database, uploads and collected static files
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

env = environ.Env()
# Variables already in the environment win over the file; a missing file is no error.
environ.Env.read_env(env.path("ENV_FILE", default=BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = f"{SECRET_KEY_INSECURE_PREFIX}development-only-key-never-use-in-production"
elif not DEBUG and (
    SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
    or len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
):
    # Signed cookies, password-reset links and sessions all rest on this key: never a public one.
    raise ImproperlyConfigured(
        f"SECRET_KEY must be set to a random value of at least {SECRET_KEY_MIN_LENGTH} characters "
        f"(not starting with {SECRET_KEY_INSECURE_PREFIX!r}) when DEBUG is off, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`. '
        "For development, run `make run` or `make test` once: they write .env with DEBUG=1."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "secretariat.admin_site.BackOfficeAdminConfig",  # django.contrib.admin, for staff only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "secretariat.apps.ApiTokensConfig",  # knox: API tokens, stored hashed, each with an expiry
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "django_tasks_db",
    # Sign-in: allauth (second factor: TOTP, recovery codes, security keys), axes (lock-outs).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "secretariat",
    "monitoring",
    "recommendations",
]

MIDDLEWARE = [
    # First: the load balancer's /health/ is answered before any host check, HTTPS redirect or
    # session; then every request gets its id, on its log lines and in its response headers.
    "secretariat.observability.HealthCheckMiddleware",
    "secretariat.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: a NUL in the address is a 400, a body larger than the
    # page takes a 413 from its Content-Length (secretariat/request_guards.py).
    "secretariat.request_guards.RefuseNulCharacterMiddleware",
    "secretariat.request_guards.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions past their maximum age; holds staff at the second-factor setup (secretariat/signin.py).
    "secretariat.middleware.SessionMaxAgeMiddleware",
    "secretariat.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user as the author of every history row.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"
ASGI_APPLICATION = "secretariat.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",  # {{ csp_nonce }}, {% csp_nonce_attr %}
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Persistent connections rather than psycopg's pool: a gunicorn sync worker serves one request at
# a time, so the one connection it keeps between requests saves opening one per request (4–9 ms
# on PostgreSQL), and a pool in each worker would only add idle connections per process. The
# health check replaces a kept connection the server has closed (restart, idle timeout) before a
# request uses it. Off by default in development: runserver starts a thread per request, and each
# thread would keep its own connection.
DATABASES["default"].update(
    CONN_MAX_AGE=env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 600),
    CONN_HEALTH_CHECKS=True,
)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Write-ahead logging: pages keep reading while a background import holds its transaction.
    # IMMEDIATE: a transaction that reads then writes (a reply saved under the submission's lock)
    # waits for the write lock instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", timeout=20, transaction_mode="IMMEDIATE"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Daily jobs the worker runs at these local times (and `manage.py run_scheduled` from cron), each
# once a day whoever starts it first (secretariat/schedule.py).
SCHEDULE = {"reminders": "07:00", "digests": "08:00", "housekeeping": "03:00"}
# Housekeeping (secretariat/housekeeping.py): how many days finished task results, the files of
# finished imports and the files of generated documents are kept (the records stay).
HOUSEKEEPING_TASK_RESULTS_DAYS = env.int("HOUSEKEEPING_TASK_RESULTS_DAYS", default=30)
HOUSEKEEPING_IMPORT_FILES_DAYS = env.int("HOUSEKEEPING_IMPORT_FILES_DAYS", default=30)
HOUSEKEEPING_DOCUMENT_FILES_DAYS = env.int("HOUSEKEEPING_DOCUMENT_FILES_DAYS", default=30)
# Notification e-mails that failed are tried again this often by the worker (and by `run_scheduled`).
NOTIFICATION_EMAIL_RETRY_MINUTES = env.int("NOTIFICATION_EMAIL_RETRY_MINUTES", default=15)
# The address of the site, for the links in e-mails (sent by the worker, outside any request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# More than one machine (docs/deployment.md): REDIS_URL puts the shared cache (rate limits, API
# throttles) and the imports' progress on Redis; CACHE_URL and PROGRESS_CACHE_URL override each.
REDIS_URL = env("REDIS_URL", default="")


def _redis_cache(prefix: str) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }


CACHES = {
    "default": (
        env.cache_url("CACHE_URL")
        if "CACHE_URL" in env
        else _redis_cache("lanzarote")
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # The progress of background imports, written by the worker and read by the web pages:
    # shared across processes, and outside the database (an import runs in one transaction).
    "progress": (
        env.cache_url("PROGRESS_CACHE_URL")
        if "PROGRESS_CACHE_URL" in env
        else _redis_cache("lanzarote-progress")
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "progress"),
        }
    ),
}

# Background work (imports, documents, e-mails, daily jobs) runs in `manage.py run_worker`, which
# `make run` starts. The tasks wait in the database (one machine, nothing more to run), or on Redis
# with TASK_QUEUE=redis (RQ, through django-tasks-rq: workers on several machines); see
# secretariat/task_queue.py. A task that runs longer than TASK_TIMEOUT_SECONDS is stopped by RQ.
TASK_QUEUE = env("TASK_QUEUE", default="database")
if TASK_QUEUE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASK_QUEUE == "redis" and REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env.int("TASK_TIMEOUT_SECONDS", default=3 * 3600)}
    }
else:
    raise ImproperlyConfigured(
        f"TASK_QUEUE is {TASK_QUEUE!r}: it must be 'database', or 'redis' with REDIS_URL set."
    )
AUTH_USER_MODEL = "secretariat.User"
LOGIN_URL = "admin:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for new and changed passwords; older hashes still work and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# --- Sign-in (docs/security.md) -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the user's unread notifications with the user (the bell costs no query).
    "secretariat.auth_backends.BackOfficeBackend",
]
# Every sign-in page (admin, portal, /accounts/login/) runs allauth's flow: password, then the
# second factor of a user who has one. Staff must have one (secretariat.signin); tests turn that off.
MFA_REQUIRED = True
ACCOUNT_ADAPTER = "secretariat.signin.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False  # no "remember me": a session ends with the browser, or when idle
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False  # the admin and portal sign-in views decide
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"  # signing out of the account pages: the plain sign-in page
# Throttling: at most 10 failed sign-ins a minute from one IP address, whatever the accounts, and
# 10 in 5 minutes on one account (second-factor codes too); django-axes locks the account at 5.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,10/5m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Lanzarote Back Office"
MFA_TOTP_TOLERANCE = 1  # a code from the previous or next 30 seconds: phones' clocks drift
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG  # security keys on http://127.0.0.1 in development
# Lock-out of an account after 5 failed sign-ins, for LOGIN_LOCKOUT_MINUTES (0: until an
# administrator lifts it in the admin, "Access attempts", or with `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "secretariat.audit.client_ip"
AXES_ENABLE_ADMIN = False  # replaced by pages for Secretariat administrators (secretariat/admin_security.py)
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log
# axes warns that it does not lock IP addresses: allauth throttles them (ACCOUNT_RATE_LIMITS above),
# without locking a whole office behind one address out after 5 typing errors.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after sign-in
# (secretariat.middleware.SessionMaxAgeMiddleware); the cookie goes when the browser closes.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files are never served directly: secretariat.views.protected_file
# checks the access rules first (see docs/architecture.md).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/files/"
# Uploads on the local file system (MEDIA_ROOT), or in an S3-compatible object store when S3_BUCKET
# is set (django-storages): private objects, never served by the store, only through
# secretariat.views.protected_file. Without keys, boto3 takes the machine's own credentials.
S3_BUCKET = env("S3_BUCKET", default="")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": env("S3_PREFIX", default=""),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: what the Secretariat exchanges with States (see secretariat.validators).
DOCUMENT_MAX_UPLOAD_MB = env.int("DOCUMENT_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Data files for the import page (CSV or XLSX), imported in the background.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=200)
# What one import reads at most (secretariat/import_limits.py): a file beyond is refused with the
# reason before the worker spends time or memory on it. The largest real import, the follow-up
# statuses of a report, is about 50,000 rows; the longest text a reply may have is 100,000 characters.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=100_000)
# The parts of an XLSX workbook inflated, all together.
IMPORT_MAX_UNCOMPRESSED_MB = env.int("IMPORT_MAX_UNCOMPRESSED_MB", default=1_000)


def _mailer(url: dict) -> dict:
    """Turn django-environ's parsed EMAIL_URL into a Django 6.1 MAILERS entry."""
    options = {
        "host": url.get("EMAIL_HOST"),
        "port": url.get("EMAIL_PORT"),
        "username": url.get("EMAIL_HOST_USER"),
        "password": url.get("EMAIL_HOST_PASSWORD"),
        "use_tls": url.get("EMAIL_USE_TLS"),
        "use_ssl": url.get("EMAIL_USE_SSL"),
        "file_path": url.get("EMAIL_FILE_PATH"),
    }
    smtp = url["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    if not smtp:  # console, file, locmem and dummy backends take no SMTP options
        options = {"file_path": options["file_path"]} if options["file_path"] else {}
    return {"BACKEND": url["EMAIL_BACKEND"], "OPTIONS": {k: v for k, v in options.items() if v}}


# e.g. EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 ; printed to the console in development.
MAILERS = {
    "default": _mailer(
        env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
    )
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Lanzarote Secretariat <lanzarote@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict whenever DEBUG is off; `check --deploy` then warns only until HSTS subdomains
# and preload are opted into (below).
# X-Forwarded-Proto is trusted only behind a proxy that sets it (and strips it from clients):
# otherwise any client could claim HTTPS.
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# Both bind every subdomain of the site's domain (preload for years): each deployment opts in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts and styles come from our own static files, or from a tag that
# carries the response's nonce ({% csp_nonce_attr %}); no inline handler or style attribute runs,
# so injected markup can neither run code nor restyle a page.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Browser features the back office never uses, refused to every page and frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

REST_FRAMEWORK = {
    # Token first: an anonymous call then answers 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Calls per user and per anonymous client (IP address), counted in the default cache: give
    # production a cache shared by its web processes (CACHE_URL), or each process counts alone.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="2000/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
# API tokens (`manage.py create_api_token`) expire after this many days unless given another expiry.
REST_KNOX = {"TOKEN_TTL": timedelta(days=env.int("API_TOKEN_EXPIRY_DAYS", default=30))}
# The API's OpenAPI schema (/api/schema/) and Swagger UI (/api/docs/), served without a CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Lanzarote Back Office API",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # the API's map is not public
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",  # tags and operation ids by resource: "replies", not "v1"
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per set of choices, where several fields share it (or share a field name).
    "ENUM_NAME_OVERRIDES": {
        "TreatyStatusEnum": "secretariat.models.TreatyStatus",
        "RoundStatusEnum": "monitoring.models.MonitoringRound.Status",
        "SubmissionStatusEnum": "monitoring.models.Submission.Status",
        "AssessedStatusEnum": "recommendations.models.AssessedStatus",
        "ReportedStatusEnum": "recommendations.models.ReportedStatus",
        "ReportableStatusEnum": "recommendations.api.serializers.REPORTABLE_STATUSES",
        "UpdateReviewStatusEnum": "recommendations.models.FollowUpUpdate.Status",
        "TranslationStatusEnum": "recommendations.models.TranslationStatus",
        "MeetingStatusEnum": "secretariat.models.Meeting.Status",
        "EscalationStepEnum": "recommendations.models.EscalationStep.Step",
        "ParticipationMethodEnum": "monitoring.models.ParticipationMethod",
        "ConsentGivenByEnum": "monitoring.models.ConsentGivenBy",
        "AgeBandEnum": "monitoring.models.AGE_BANDS",
    },
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Exports read this many records (and their prefetched relations) per query; the default is 100.
IMPORT_EXPORT_CHUNK_SIZE = 2000

# Logs on standard output, one line per record, each with the id of the request that wrote it
# (secretariat/observability.py); LOG_FORMAT=json for a log collector, text otherwise. One line per
# request on "secretariat.requests" (REQUEST_LOG_LEVEL=WARNING silences them).
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "secretariat.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "secretariat.requests": {"level": env("REQUEST_LOG_LEVEL", default="WARNING" if DEBUG else "INFO")},
    },
}

# Errors: to Sentry when SENTRY_DSN is set; otherwise e-mailed to ADMINS (comma-separated
# addresses) by Django's own handler, when DEBUG is off.
SENTRY_DSN = env("SENTRY_DSN", default="")
ADMINS = [] if SENTRY_DSN else [address.strip() for address in env.list("ADMINS", default=[])]
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,  # no names, addresses or cookies: the replies concern children
    )

from import_export.formats import base_formats  # noqa: E402

from secretariat.spreadsheets import SafeCSV, SafeXLSX  # noqa: E402

# Exports neutralise cells a spreadsheet would run as formulas (secretariat/spreadsheets.py).
EXPORT_FORMATS = [SafeCSV, SafeXLSX]
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
# Exporting needs the view permission; importing needs add and change.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
