"""Settings of the Giao ban portal: one module, read from the environment.

With nothing set the portal runs embedded (SQLite, local-memory cache, eager Celery,
console e-mail). DATABASE_URL and REDIS_URL switch it to PostgreSQL, Redis and real
Celery workers. See README.md, section Production, for every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from briefing.env import (
    EnvError,
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_positive_int,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise EnvError("SECRET_KEY must be at least 50 characters with 5 distinct ones.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise EnvError("ALLOWED_HOSTS must be set (comma-separated host names).")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "briefing.apps.BriefingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",  # the widgets' own templates, for TemplatesSetting below
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "briefing",
    "proposals",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get them too: Permissions-Policy,
    # Cross-Origin-Resource-Policy.
    "briefing.platform.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "briefing.platform.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's responses: Cache-Control: private, no-store.
    "briefing.platform.middleware.PrivateResponsesMiddleware",
    # Lets the security log know who made a change recorded by a model signal.
    "briefing.organisations.security_log.remember_request",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Which second-factor device verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Ends idle sessions and keeps a signed-in person who still owes the second factor
    # on the verification pages (briefing/organisations/middleware.py).
    "briefing.organisations.middleware.SessionGuardMiddleware",
    "briefing.organisations.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "briefing.urls"
WSGI_APPLICATION = "briefing.wsgi.application"

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
                "briefing.organisations.context_processors.portal",
            ],
        },
    },
]
# Covering indexes (INCLUDE) are for PostgreSQL; SQLite (make run) builds them without
# the extra columns, which is all right for the demo.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Widgets render with the project's templates too (templates/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite file unless DATABASE_URL is set.
_database_url = env_url("DATABASE_URL", {"postgres", "postgresql", "pgsql", "sqlite"})
if _database_url:
    # Connections are kept between requests and checked before reuse: after a database
    # restart or fail-over the first request reconnects instead of failing with a 500.
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache and Celery broker when REDIS_URL is set; local memory and eager otherwise.
REDIS_URL = env_url("REDIS_URL", {"redis", "rediss"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "briefing.platform.cache_backend.PooledRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "giaoban",
            # A dead Redis must fail fast: pages degrade, they do not hang.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database only: signing in and working must not depend on Redis
# (with cached_db, creating a session asked Redis first, so an outage was a 500 at
# sign-in). One indexed query per signed-in request; the public pages have no session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A working day; the session also ends when the browser closes (shared office PCs).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_TASK_ACKS_LATE = True
# With late acks, a task whose worker died is handed to another worker after this many
# seconds. It must exceed the longest a task may stay unacknowledged: the 600 s time
# limit and the retry countdowns (at most 600 s), or tasks would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# A dead broker must not hold a user's request for long: the outbox retries later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Periodic jobs, each with the reason it exists.
CELERY_BEAT_SCHEDULE = {
    # Follow-up work that could not reach the broker when it was committed.
    "outbox-sweep": {"task": "briefing.outbox_sweep", "schedule": 60.0},
    # Expired sign-in sessions, which nothing else removes from the database.
    "clear-sessions": {
        "task": "briefing.clear_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    # Page views are counted in Redis; this moves them into the database.
    "flush-visits": {"task": "briefing.flush_visits", "schedule": 60.0},
    # Idempotency-Keys of API calls older than API_IDEMPOTENCY_DAYS, which nothing else
    # removes (a retry after that acts anew).
    "prune-idempotency-keys": {
        "task": "briefing.prune_idempotency_keys",
        "schedule": crontab(minute=40),
    },
    # Approved answers whose scheduled publication time has come (and any approval
    # whose own publish task was lost).
    "publish-due-answers": {"task": "proposals.publish_due_answers", "schedule": 300.0},
    # Webhook attempts that were due but never reached a worker (broker down then).
    "retry-due-webhooks": {"task": "proposals.retry_due_webhooks", "schedule": 300.0},
    # Unit leaders get one e-mail a morning listing their overdue recommendations.
    "overdue-digest": {
        "task": "proposals.send_overdue_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Forms from the public whose sender never confirmed the address: deleted with
    # their personal data (the form promises it after 48 hours).
    "purge-unconfirmed-submissions": {
        "task": "proposals.purge_unconfirmed_submissions",
        "schedule": crontab(minute=20),
    },
    # Personal data of senders whose recommendation closed longer ago than the
    # retention period (Decree 13/2023/NĐ-CP: kept no longer than needed).
    "anonymise-closed-submissions": {
        "task": "proposals.anonymise_closed_submissions",
        "schedule": crontab(hour=3, minute=45),
    },
    # The quarterly report of the quarter just ended, once the indicator reports are
    # due (15 days after the quarter); the Ministry Office can also run it on demand.
    "rollup-quarter": {
        "task": "briefing.rollup_quarter",
        "schedule": crontab(minute=0, hour=2, day_of_month=16, month_of_year="1,4,7,10"),
    },
    # People who chose one e-mail a day for their notifications get it each morning.
    "notification-digests": {
        "task": "briefing.send_notification_digests",
        "schedule": crontab(hour=6, minute=45),
    },
    # Departments whose indicator reports are due in a few days or became overdue are
    # told once (the notifications carry a key, so a rerun writes nothing twice).
    "indicator-report-reminders": {
        "task": "indicators.remind_due_reports",
        "schedule": crontab(hour=6, minute=30),
    },
    # Leaders of organisations with briefing tasks past their deadline: one e-mail a
    # morning each.
    "overdue-task-reminders": {
        "task": "briefing.send_overdue_task_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
}

AUTH_USER_MODEL = "briefing.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user, the organisation and the roles at once.
    "briefing.organisations.backends.UserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# Login lockout: five wrong passwords for one user name from one address lock that
# pair for 15 minutes; the lockout page says when to retry.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "briefing.organisations.views.staff.lockout_response"
AXES_VERBOSE = False

# Two-factor sign-in (docs/security.md): a TOTP authenticator app, required for ministry
# staff and system administrators, optional for departments. Five wrong codes lock the
# second step for 15 minutes; django-otp's own growing delay is off, since it refused a
# right code typed just after a wrong one.
OTP_TOTP_ISSUER = "Giao ban"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
TWO_FACTOR_LOCKOUT = timedelta(minutes=env_int("TWO_FACTOR_LOCKOUT_MINUTES", 15))
# A signed-in session ends after this many minutes without a request.
STAFF_IDLE_MINUTES = env_positive_int("STAFF_IDLE_MINUTES", 30)

# Language and formats: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
# Each language is named in itself, so a reader finds their own whatever is active.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "giaoban_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["briefing.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise sends "Access-Control-Allow-Origin: *" on static files unless told not to:
# no other site has a reason to read ours.
WHITENOISE_ALLOW_ALL_ORIGINS = False
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The API (DESIGN.md): tokens for systems that send indicator reports (a system
# administrator issues them in the back office), the browser session for the portal's
# own pages. JSON only: the browsable API's inline scripts break under our CSP.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Organisation tokens (briefing.organisations.api_tokens); the person tokens of
        # rest_framework.authtoken are gone (docs/operations.md).
        "briefing.organisations.api_tokens.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Every error as {"errors": [{"field", "code", "message"}]} (platform/api_errors.py).
    "EXCEPTION_HANDLER": "briefing.platform.api_errors.exception_handler",
    # Open data for everyone, but no one client may take the portal down: per address
    # for anonymous callers, per account with a token. Counted in the cache (Redis).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute", "token": "600/minute"},
    # Proxies in front of gunicorn (1 behind the README's nginx): the limits (these and
    # the subscription form's) then take the client from the address the proxy added
    # to X-Forwarded-For, which a client cannot forge. Unset means no proxy: the socket's
    # address, whatever X-Forwarded-For says (DRF's own default, None, would trust it).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Days an Idempotency-Key's answer is kept (docs/api.md): a retry within them replays
# it, a later one acts anew; the job "prune-idempotency-keys" deletes older keys.
API_IDEMPOTENCY_DAYS = 2
SPECTACULAR_SETTINGS = {
    "TITLE": "Giao ban API",
    "DESCRIPTION": "Published answers, indicator figures and indicator reports.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

_email = email_settings(env_url("EMAIL_URL", {"smtp", "smtps", "console", "locmem"}))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Giao ban <no-reply@giaoban.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Strict Content-Security-Policy: scripts and styles from our own origin only.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production sits behind TLS; the proxy sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

PORTAL_NAME = _("State-management briefing portal")
# The portal's public address, for links in e-mails sent by background jobs.
# Monitoring reads /healthz's details (host names, errors) with this bearer token;
# without it only system administrators do.
HEALTHZ_TOKEN = env_str("HEALTHZ_TOKEN", "")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Webhooks (proposals.webhook_delivery). Against request forgery an endpoint must be
# https and resolve to public addresses; development and tests may call http and
# 127.0.0.1. A delivery is tried again after each delay (seconds) in turn; an endpoint
# is turned off after WEBHOOK_DISABLE_AFTER failed attempts in a row.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", DEBUG)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", DEBUG)
WEBHOOK_TIMEOUT = 5
WEBHOOK_RESPONSE_LIMIT = 4096
WEBHOOK_RETRY_DELAYS = [60, 300, 1800, 7200, 43200]
WEBHOOK_DISABLE_AFTER = 10
# The password of the demo accounts, printed by `manage.py load_demo` and in README.
DEMO_PASSWORD = "GiaoBan@2020"
# The second factor of the demo ministry accounts (load_demo, DEBUG only): base32, as an
# authenticator app or `oathtool --totp -b` takes it; `manage.py demo_totp` prints the code.
DEMO_TOTP_SECRET = "GIAOBANDEMOTOTPSECRETKEY234567AB"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
