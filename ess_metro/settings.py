"""Settings of the ESS Métro portal, read from the environment (12-factor).

Every setting that differs between a laptop and production comes from an environment
variable; the defaults give a working development portal on an embedded SQLite database.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("ALLOW_INSECURE_SECRET_KEY", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (or set DEBUG=1 for development)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "rules",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Kernel shared by every app
    "ess_metro",
    "ess_metro.accounts",
    "ess_metro.directory",
    "ess_metro.privacy",
    # The plan's apps
    "programme",
    "projects",
    "communication",
    "governance",
]
# Demo data and factories: development and tests only, never in production.
if DEBUG or env_bool("TESTING", False):
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "ess_metro.middleware.ArrivalStampMiddleware",  # first: deadlines judge the arrival time
    "ess_metro.middleware.ServerHeaderMiddleware",
    "ess_metro.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ess_metro.middleware.FrenchFirstLocaleMiddleware",
    "ess_metro.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ess_metro.middleware.ContentSecurityPolicyMiddleware",
    "ess_metro.accounts.middleware.SecondFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ess_metro.urls"
# `make bench` (tools/bench.py) adds a bare view and Django admin changelists to compare with.
if env_bool("BENCH", False):
    ROOT_URLCONF = "demo.bench_urls"

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
                "ess_metro.context_processors.portal",
            ],
            "builtins": ["ess_metro.templatetags.ess"],
        },
    },
]

WSGI_APPLICATION = "ess_metro.wsgi.application"
ASGI_APPLICATION = "ess_metro.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL: each process keeps a bounded psycopg pool (DB_POOL_MIN_SIZE..DB_POOL_MAX_SIZE
# connections, never more), so the sum over all processes stays under max_connections
# (docs/deploy.md gives the formula). DB_POOL_MAX_SIZE=0 turns the pool off.
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "4"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(int(os.environ.get("DB_POOL_MIN_SIZE", "1")), DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Object permissions are named predicates (each app's permissions.py, the rules library).
# django-axes comes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters (CNIL, délibération 2022-100).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "ess_metro.accounts.validators.CnilPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# Grouping is applied explicitly (money and number filters), never to years or identifiers.
USE_THOUSAND_SEPARATOR = False

# Static files come from the project and from packages (Bootstrap, htmx): no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files. Attachments live in a private storage that has no public URL: they are
# served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Object storage: with S3_PRIVATE_BUCKET set, the public (default) and private storages are
# S3 buckets (django-storages), shared by every app server and worker.
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "")
# How a private file leaves the portal once access is checked: "stream" (through the app
# server) or "redirect" (a signed URL valid S3_SIGNED_URL_SECONDS, the app server is spared).
PRIVATE_DOWNLOADS = os.environ.get("PRIVATE_DOWNLOADS", "stream")
if S3_PRIVATE_BUCKET:
    _s3 = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": os.environ.get("S3_PUBLIC_BUCKET", "ess-metro-public"),
            "custom_domain": os.environ.get("S3_PUBLIC_DOMAIN") or None,
            "querystring_auth": not os.environ.get("S3_PUBLIC_DOMAIN"),
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": S3_PRIVATE_BUCKET,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_SIGNED_URL_SECONDS", "60")),
        },
    }

MAX_UPLOAD_SIZE = int(os.environ.get("MAX_UPLOAD_SIZE", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024
# The first handler counts every file's bytes as they arrive and drops the rest of a file
# over MAX_UPLOAD_SIZE: nothing beyond the limit is written to memory or to disk.
FILE_UPLOAD_HANDLERS = [
    "ess_metro.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# E-mail: printed on the console unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None  # for the file-based backend
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "ESS Métro <ess@grenoblealpesmetropole.fr>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Errors (500) are e-mailed to ADMINS: "Name <address>, other@example.org".
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS", ""))]
STAFF_NOTIFICATION_EMAIL = os.environ.get(
    "STAFF_NOTIFICATION_EMAIL", "ess@grenoblealpesmetropole.fr"
)

# Background work (e-mail, large PDFs, exports) goes through django-tasks: immediate by
# default, a database-backed worker in production (TASK_BACKEND=database).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASK_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Periodic jobs (manage.py scheduler queues them for the worker): local time, command, args.
SCHEDULE = [
    ("03:00", "prune_db_task_results", ["--min-age-days", "30"]),
    ("03:15", "clearsessions", []),
    ("07:00", "send_staff_digest", []),
]
# A task waiting longer than this (seconds) makes /sante/ answer 503: is the worker running?
HEALTH_QUEUE_MAX_AGE = int(os.environ.get("HEALTH_QUEUE_MAX_AGE", "900"))
# A task still marked running this long after it started (seconds) is taken as lost with its
# worker and queued again (manage.py worker); a worker restarting requeues its own at once.
TASK_STALE_AFTER = int(os.environ.get("TASK_STALE_AFTER", "3600"))

# Cache and sessions: on Redis when REDIS_URL is set (shared by every app server; sessions
# are also written to the database, so a Redis restart signs nobody out), else the database
# and a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# Exports of more rows than this are built by the task worker, with progress ("Mes exports").
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("EXPORT_SYNC_MAX_ROWS", "500"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ess"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Logins: django-axes locks an account, and separately an address, after AXES_FAILURE_LIMIT
# wrong passwords; the lock lifts by itself after the cool-off, or when staff unlock it on the
# security page (/gestion/securite/).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "ess_metro.accounts.throttle.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# Behind TRUSTED_PROXY_COUNT reverse proxies, the client's address is read from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "ess_metro.accounts.throttle.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# E-mails sent on demand (password reset, sign-up): at most so many per address and per hour.
EMAIL_RATE_PER_ADDRESS = os.environ.get("EMAIL_RATE_PER_ADDRESS", "3/h")
EMAIL_RATE_PER_IP = os.environ.get("EMAIL_RATE_PER_IP", "20/h")

# Two-factor authentication (django-otp): required for staff, offered to everyone.
OTP_TOTP_ISSUER = "ESS Métro"
SECOND_FACTOR_RECOVERY_CODES = 10

# Public pages served from the cache to anonymous visitors, fresh after any write
# (ess_metro/pagecache.py); the clock's changes show within this many seconds.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "60"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: safe defaults when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Load balancers probe the health page over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]

# What the `Server` header says (never a software version).
SERVER_HEADER = "ess-metro"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# One line per request (ess_metro.requests), every line tagged with the request's id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ess_metro.middleware.RequestIdLogFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Transparency and personal data: subsidy open data (SCDL), retention, legal pages.
SCDL_AUTHORITY_NAME = os.environ.get("SCDL_AUTHORITY_NAME", "Grenoble-Alpes Métropole")
SCDL_AUTHORITY_SIRET = os.environ.get("SCDL_AUTHORITY_SIRET", "20004071500019")
# Off: only subsidies above the legal threshold (23,000 € a year); on: every subsidy.
SCDL_PUBLISH_ALL = env_bool("SCDL_PUBLISH_ALL", False)
# Drafts of call files untouched for this many days, and refused, ineligible or withdrawn
# files this many years after their last change, are purged by `purge_expired_files`; the
# "Données personnelles" page states the same periods.
RETENTION_DRAFT_DAYS = int(os.environ.get("RETENTION_DRAFT_DAYS", "365"))
RETENTION_CLOSED_FILE_YEARS = int(os.environ.get("RETENTION_CLOSED_FILE_YEARS", "5"))
# A personal-data archive ("Mes données") stays downloadable this many days.
RETENTION_DATA_EXPORT_DAYS = int(os.environ.get("RETENTION_DATA_EXPORT_DAYS", "7"))
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "dpo@grenoblealpesmetropole.fr")
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "accessibilite@grenoblealpesmetropole.fr"
)
# Written at build time by `manage.py record_accessibility_results` (accessibility statement).
ACCESSIBILITY_RESULTS_FILE = Path(
    os.environ.get("ACCESSIBILITY_RESULTS_FILE", BASE_DIR / "var" / "accessibility-results.json")
)
# The accessibility statement (RGAA 4.1): "full", "partial" or "none" (no valid audit yet).
ACCESSIBILITY_STATUS = os.environ.get("ACCESSIBILITY_STATUS", "none")
ACCESSIBILITY_STATEMENT_DATE = os.environ.get("ACCESSIBILITY_STATEMENT_DATE", "2026-12-04")
LEGAL_HOSTING_PROVIDER = os.environ.get(
    "LEGAL_HOSTING_PROVIDER", "Grenoble-Alpes Métropole, 3 rue Malakoff, 38031 Grenoble"
)
# Errors also go to Sentry when SENTRY_DSN is set (no personal data sent).
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
