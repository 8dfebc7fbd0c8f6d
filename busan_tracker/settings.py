"""Settings for the Busan work-plan tracker.

Everything comes from the environment with defaults that make a fresh checkout run
on an embedded SQLite file and no Redis. ``BUSAN_ENV=production`` switches to the
hardened mode that ``manage.py check --deploy`` is run against.
"""

import json
import logging
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from busan_tracker.environment import envbool, envint, envlist
from busan_tracker.logs import django_logging
from busan_tracker.single_sign_on import single_sign_on

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BUSAN_VAR_DIR", BASE_DIR / "var"))


PRODUCTION = os.environ.get("BUSAN_ENV", "development") == "production"

if PRODUCTION:
    # No fallback: a production instance with a guessable key must not start.
    SECRET_KEY = os.environ["SECRET_KEY"]
    DEBUG = False
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    DEBUG = envbool("DEBUG", "true")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# The classification printed on every page of the briefing pack's PDF.
BRIEFING_PACK_MARKING = os.environ.get("BRIEFING_PACK_MARKING") or _("For internal use only")

# Absolute links in emails, calendar feeds and the run log (plans.links). Without it, the
# address bin/run serves on: the port it was given (PORT), else 8000.
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
).rstrip("/")

INSTALLED_APPS = [
    "plans.admin_site.CityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "busan_tracker",
    "plans",
    "reminders",
    "meetings",
    "planning",
    "discussion",
    "review",
    "inbox",
    # Before axes, so the sign-in audit sees a failed sign-in before axes counts it.
    "accounts",
    "axes",
    "sso",
    "api",
    "bulk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer; no-store on what a signed-in user sees.
    "busan_tracker.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "plans.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session left idle (shared office PCs) before any view reads the user.
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A change to a closed plan refused: HTMX reloads the page (read-only), with the reason.
    "plans.middleware.PlanClosedMiddleware",
    # Sign-in for every page not marked login_not_required (answers HTMX with HX-Redirect).
    "plans.middleware.SignInRequiredMiddleware",
    # Turns a sign-in refused for too many failures into the sign-in page saying so.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "busan_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "busan_tracker.navigation.navigation",
            ],
        },
    },
]

# Django's form renderer, with the plainest widgets written in Python (plans/renderers.py).
FORM_RENDERER = "plans.renderers.FormRenderer"

WSGI_APPLICATION = "busan_tracker.wsgi.application"

# SQLite file in the project folder unless DATABASE_URL says otherwise
# (e.g. postgres://postgres@127.0.0.1:5432/busan).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'busan.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the reminder worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool(
    "DB_PREPARED_STATEMENTS", "true"
):
    # Server-side parameter binding lets psycopg prepare a statement once a connection
    # has run it five times; PostgreSQL then skips parsing and planning it (the in-row
    # save's task read went from 0.7 to 0.25 ms at the database). It pays with
    # persistent connections (DB_CONN_MAX_AGE). Turn it off behind a PgBouncer in
    # transaction mode, which cannot keep a connection's prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rendered rows and review figures (plans.cache). Local memory is per
# process: fine for one server; several app servers share Redis (CACHE_URL=redis://…),
# so a change shows on every one of them at once.
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "busan"),
            # A Redis that stops answering fails a page (and /healthz) in seconds
            # instead of holding every gunicorn worker.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Single sign-on (the sso app; variables in busan_tracker/single_sign_on.py): LDAP /
# Active Directory and the city's OpenID Connect provider, each off until its variables
# are set; local accounts always sign in. A backend that must see every attempt first
# (a lockout) goes in front of AUTHENTICATION_BACKENDS here.
_single_sign_on = single_sign_on(os.environ)
AUTHENTICATION_BACKENDS = _single_sign_on.pop("AUTHENTICATION_BACKENDS")
globals().update(_single_sign_on)  # AUTH_LDAP_*, LDAP_*, OIDC_*

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- signing in ------------------------------------------------------------------------
# django-axes counts failed sign-ins by account and by address (each on its own): after
# SIGNIN_FAILURE_LIMIT failures within SIGNIN_LOCKOUT_MINUTES, sign-in is refused for that
# account, and from that address, until the time has passed or city IT lifts the lock
# in the admin ("Access attempts"). Failures count for SIGNIN_LOCKOUT_MINUTES after the
# latest one. A success clears nothing: clearing by address would let anyone with one
# account wipe the count of the account they are guessing from the same machine.
AUTHENTICATION_BACKENDS = ["accounts.backends.SignInLockBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
# A lock lasts its time from the failure that set it: a bot still trying cannot keep a
# colleague locked out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_USERNAME_CALLABLE = "accounts.backends.username_for_lock"
# The sign-in audit (accounts.SignInEvent) is the record; axes keeps only the counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Proxies in front of the app that append the client's address to X-Forwarded-For
# (0: the app is reached directly and REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Sessions for shared office PCs: the cookie ends with the browser, and a session left
# idle for SESSION_IDLE_MINUTES is signed out (accounts.middleware); none lasts longer
# than SESSION_MAX_HOURS.
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "true")
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = envint("SESSION_MAX_HOURS", 10) * 60 * 60
# A password reset link works for this long (Django counts seconds).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_MINUTES", 60) * 60

# Korean first: Busan's officials work in Korean; English is the second language.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
# The language switch's choice outlives the browser session (a year, like Django's CSRF cookie).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "static/"
# Where collectstatic gathers the files whitenoise serves in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Files the tracker keeps (evidence attached to key tasks) or writes for one person
# (exports prepared in the background) go through Django's storage API: under var/files
# by default; production may name another backend (object storage) with
# FILE_STORAGE_BACKEND and its options as JSON in FILE_STORAGE_OPTIONS. None is served
# as a static or media file: each is sent by a view that checks who asks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "files"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        # FileSystemStorage without options keeps its files under MEDIA_ROOT.
        "OPTIONS": json.loads(os.environ.get("FILE_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": (
            "busan_tracker.staticfiles.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production whitenoise serves straight from the apps' static folders, so
# the run command, the live-server tests and the benchmark need no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Email: console on the embedded default, SMTP in production, locmem in tests
# (pytest-django swaps it in).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "부산시 업무계획 <noreply@busan.example>")

# Celery. The embedded default uses kombu's filesystem transport so the run command
# needs no Redis; production and CI set CELERY_BROKER_URL=redis://….
# The JSON API (api/): calls per token in a minute, counted in the shared cache.
API_RATE_LIMIT = envint("API_RATE_LIMIT", 120)
# The Excel round trip (bulk/): a workbook of more key tasks than this is checked and
# applied by a Celery worker, the page following its progress; the largest file and
# number of rows accepted.
BULK_BACKGROUND_ROWS = envint("BULK_BACKGROUND_ROWS", 200)
BULK_MAX_ROWS = envint("BULK_MAX_ROWS", 5000)
BULK_MAX_UPLOAD_BYTES = envint("BULK_MAX_UPLOAD_MB", 5) * 1024 * 1024

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = VAR_DIR / "celery-queue"
    (_queue / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(_queue / "control"),
        "polling_interval": 0.5,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A message a worker took and never acknowledged (killed, or cut off from Redis
        # before its late ack) is handed out again after this long: longer than the
        # longest run (a day's sweep and delivery take minutes), so a run still going is
        # never started beside itself. Nothing waits on it: beat's next delivery run
        # picks up what a lost message left, and catches up a missed sweep.
        "visibility_timeout": 3600,
        # A Redis that vanishes without closing the connection (failover, a firewall)
        # would leave a publish waiting forever: beat would stop scheduling.
        "socket_timeout": 30,
        "socket_connect_timeout": 5,
    }
# No result backend: what a task did is in the reminder log, so a task in flight when a
# connection drops has no result to lose.
CELERY_TASK_IGNORE_RESULT = True
# A separate queue name lets several deployments (or test runs) share one Redis database.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A task is acknowledged when it has run, and handed out again when its worker died
# (acks_late alone does not): delivery is at least once; the reminder log makes it once.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Processes per worker (bin/run starts one with --concurrency=1).
CELERY_WORKER_CONCURRENCY = envint("CELERY_CONCURRENCY", 2)
# Losing the broker (issue 16). A worker started while Redis is still down (a reboot, a
# restart by systemd or bin/supervise) waits for it instead of exiting at once...
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# ...and one that loses Redis while running reconnects, for as long as it takes: giving
# up would only end the process for its supervisor to start again.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the broker connection drops is left to finish (Celery 6 will
# cancel it by default). The delivery in flight needs only the database and the mail
# server, so it keeps sending; its late ack is lost with the connection, and the message
# that comes back after the visibility timeout finds nothing left to send. Cancelling
# would cut the batch short: its reminders would wait for the claim timeout, and the one
# being sent at that moment could go out twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
REMINDER_SWEEP_HOUR = envint("REMINDER_SWEEP_HOUR", 8)
# The daily sweep decides what is due; REMINDER_SWEEP_INTERVAL_SECONDS > 0 runs it on an
# interval instead (harmless: the reminder log sends each reminder once).
REMINDER_SWEEP_INTERVAL_SECONDS = envint("REMINDER_SWEEP_INTERVAL_SECONDS", 0)
# Retries failed sends (with back-off) and reminders left claimed by a lost worker.
REMINDER_DELIVERY_INTERVAL_SECONDS = envint("REMINDER_DELIVERY_INTERVAL_SECONDS", 300)
CELERY_BEAT_SCHEDULE = {
    "daily-reminder-sweep": {
        "task": "reminders.tasks.run_reminder_sweep",
        "schedule": (
            REMINDER_SWEEP_INTERVAL_SECONDS
            if REMINDER_SWEEP_INTERVAL_SECONDS > 0
            else crontab(hour=REMINDER_SWEEP_HOUR, minute=0)
        ),
    },
    "reminder-delivery-retries": {
        "task": "reminders.tasks.deliver_reminders",
        "schedule": REMINDER_DELIVERY_INTERVAL_SECONDS,
    },
    "expired-export-files": {
        "task": "review.tasks.remove_expired_export_files",
        "schedule": 3600,
    },
}

# The city-wide list's files (review/exports.py): a list longer than this many rows is
# prepared in the background and its link emailed, so no download outlives a proxy's
# timeout; the link works for its requester for this many hours.
EXPORT_BACKGROUND_ROWS = envint("EXPORT_BACKGROUND_ROWS", 5000)
EXPORT_LINK_HOURS = envint("EXPORT_LINK_HOURS", 72)

# Reminder policy (reminders/policy.py). Offsets are days before a deadline; a reminder
# that falls on a weekend or Korean public holiday goes out on the business day before.
# The session lead days are read by the report-session reminders (meetings/reminders.py).
REMINDER_OFFSETS_DAYS = [int(d) for d in envlist("REMINDER_OFFSETS_DAYS", "7,3,1,0")]
REMINDER_ESCALATE_TO_HEAD_DAYS = envint("REMINDER_ESCALATE_TO_HEAD_DAYS", 3)
REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS = envint("REMINDER_ESCALATE_TO_MAYORS_OFFICE_DAYS", 10)
REMINDER_DIGEST_WEEKDAY = envint("REMINDER_DIGEST_WEEKDAY", 0)  # Monday
REMINDER_SESSION_LEAD_DAYS = envint("REMINDER_SESSION_LEAD_DAYS", 5)
REMINDER_SUBMISSION_LEAD_DAYS = envint("REMINDER_SUBMISSION_LEAD_DAYS", 7)
REMINDER_CLAIM_TIMEOUT_SECONDS = envint("REMINDER_CLAIM_TIMEOUT_SECONDS", 900)
REMINDER_MAX_ATTEMPTS = envint("REMINDER_MAX_ATTEMPTS", 6)
REMINDER_RETRY_BACKOFF_SECONDS = envint("REMINDER_RETRY_BACKOFF_SECONDS", 120)
# Recipients per delivery batch: each recipient's reminders are claimed together, so a
# day's digest is one email however many tasks it lists.
REMINDER_BATCH_SIZE = envint("REMINDER_BATCH_SIZE", 200)
# Reminders of a person who never chose (reminders:notifications): "daily" (one email a
# day listing them) or "each". Escalations are one email a day whatever the choice.
REMINDER_DEFAULT_DELIVERY = os.environ.get("REMINDER_DEFAULT_DELIVERY", "daily")

# Evidence files on key tasks (discussion): the largest accepted, and the types (by
# extension, each checked against the file's content: discussion/files.py).
DISCUSSION_MAX_FILE_BYTES = envint("DISCUSSION_MAX_FILE_MB", 20) * 1024 * 1024
DISCUSSION_FILE_EXTENSIONS = envlist(
    "DISCUSSION_FILE_EXTENSIONS",
    "pdf,hwp,hwpx,doc,docx,xls,xlsx,ppt,pptx,odt,ods,png,jpg,jpeg,gif",
)

# Standard error, as JSON lines in production (busan_tracker/logs.py says which fields)
# and as text elsewhere; LOG_FORMAT=json or text overrides.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = django_logging(json_lines=LOG_FORMAT == "json", level=os.environ.get("LOG_LEVEL", "INFO"))
# Python's warnings become log records too, so a JSON log holds nothing but JSON.
logging.captureWarnings(LOG_FORMAT == "json")
# The worker and beat log through LOGGING above (JSON lines in production) instead of
# Celery replacing the root logger's handlers with its own text format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
# axes logs every sign-in at INFO; failures and locks (WARNING) are what city IT wants.
# WeasyPrint (the briefing pack's PDF) narrates every step and every CSS rule of the
# screen stylesheet it skips; only its errors matter.
LOGGING["loggers"] = {
    "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    "weasyprint": {"level": "ERROR"},
    "fontTools": {"level": "ERROR"},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    # Every cookie: the session (and the messages stored beside it), CSRF, language.
    # A load balancer probes the app server itself over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Early warning: a key task is "at risk (computed)" when its progress lags the elapsed
# share of its schedule by more than this many percentage points.
RISK_MARGIN_PERCENT = envint("RISK_MARGIN_PERCENT", 15)

# Deadline changes (plans/deadlines.py): a move of more than this many days, or past the
# plan's year, needs the mayor's office's approval; a staff member's smaller move needs
# the bureau head's. Until approved, the old deadline stands.
DEADLINE_CHANGE_APPROVAL_DAYS = envint("DEADLINE_CHANGE_APPROVAL_DAYS", 30)

# The queue (inbox/kinds.py): an open key task not updated in this many days waits in
# its owner's (and bureau head's) queue to be updated.
QUEUE_STALE_DAYS = envint("QUEUE_STALE_DAYS", 14)

# Content-Security-Policy (busan_tracker/headers.py): scripts, styles, images and
# requests from this site only; no inline script or style, no eval, no framing. htmx is
# configured for it in base.html (no indicator styles, no eval).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
