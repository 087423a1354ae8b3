"""Settings for the MLSys conference system.

Every value that differs between machines comes from the environment (or a ``.env`` file), read
with django-environ as a typed value. A malformed value stops start-up with a message that names
the variable; see ``.env.example`` for the full list.
"""

import ipaddress
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mlsys.env import StrictEnv, read_env

BASE_DIR = Path(__file__).resolve().parent.parent

# Test mode is switched on explicitly, never guessed: the test suite runs mlsys.settings_test
# (named in pyproject.toml), which sets MLSYS_TESTING=1 before reading this module. Under test the
# developer's .env is not read, so the suite sees the same settings on every machine.
_testing_requested = StrictEnv().bool("MLSYS_TESTING", default=False)
env = read_env(BASE_DIR, use_dotenv=not _testing_requested)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("MLSYS_TESTING", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off. Set it in the environment or in .env "
            "(`make run` writes a random one for local use)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# `make run PORT=…` exports SITE_URL for that port; without it, links point at port 8000.
SITE_URL = env.url("SITE_URL", default="http://127.0.0.1:8000").geturl().rstrip("/")
# Addresses whose direct requests see /healthz's details (errors name hosts and users).
HEALTHZ_TRUSTED_IPS = env.list("HEALTHZ_TRUSTED_IPS", default=["127.0.0.1", "::1"])
# callers who see only {"ok": ...} are answered from a report at most this many seconds old
# (per web process), so they cannot make every request reconnect to a broker that is down.
# Off in the test suite, whose health tests change the system between requests.
HEALTHZ_PUBLIC_CACHE_SECONDS = env.float(
    "HEALTHZ_PUBLIC_CACHE_SECONDS", default=0.0 if TESTING else 10.0
)

# --- Proxy and rush (issue 13, docs/deploy.md "Proxy") -------------------------------------
# Addresses or CIDR networks of the reverse proxies we run in front of gunicorn. Only requests
# from them are believed about X-Forwarded-For (the client's address: login rate limits,
# /healthz details) and X-Request-Start (the arrival time deadlines judge). Empty: no proxy is
# trusted and both headers are ignored.
TRUSTED_PROXIES = [p.strip() for p in env.list("TRUSTED_PROXIES", default=[]) if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network ({_error})."
        ) from None
# A proxy's arrival time older than this (seconds before the server's clock) is not credible;
# it is clamped to this bound (mlsys.core.arrival).
ARRIVAL_MAX_QUEUE_SECONDS = env.int("ARRIVAL_MAX_QUEUE_SECONDS", default=60)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.orcid",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "mlsys.core",
    "mlsys.accounts",
    "mlsys.conferences",
    "mlsys.mail",
    "submissions",
    "reviews",
    "decisions",
    "artifacts",
    "demo",
]

MIDDLEWARE = [
    # First: the request's arrival time is read before any other work (mlsys.core.arrival).
    "mlsys.core.arrival.ArrivalTimeMiddleware",
    # refuse an oversized body before anything reads it (mlsys.core.request_limits).
    "mlsys.core.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp; the policy is under "Security" below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # an upload whose temporary file cannot be written answers 503, not 500 (mlsys.core.uploads);
    # just before the CSRF check, which would otherwise be the first to read the body.
    "mlsys.core.uploads.UploadGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mlsys.conferences.viewer.ViewerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# --- Login gate (issue 13, deadline rush): password hashes take turns per web process, so a
# crowd of logins cannot starve uploads of CPU (mlsys.accounts.middleware, docs/deploy.md).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "mlsys.accounts.middleware.LoginGateMiddleware",
)
LOGIN_CONCURRENCY = env.int("LOGIN_CONCURRENCY", default=1)
LOGIN_GATE_TIMEOUT = env.float("LOGIN_GATE_TIMEOUT", default=50.0)

ROOT_URLCONF = "mlsys.urls"
WSGI_APPLICATION = "mlsys.wsgi.application"

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
                "mlsys.conferences.context_processors.conference_nav",
                # CSP_NONCE for the few library templates with an inline script.
                "csp.context_processors.nonce",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# with persistent connections (CONN_MAX_AGE > 0), check a kept connection before the first
# query of each request, so a PostgreSQL restart or failover costs a reconnect instead of one
# 500 per web worker (tests/integration/test_database_restart.py). Off only to reproduce that.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "mlsys.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "mlsys.accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
SOCIALACCOUNT_ADAPTER = "mlsys.accounts.adapters.SocialAccountAdapter"
# Rate limits sized for a deadline rush (issue 13; docs/deploy.md "Proxy"). Per address: generous,
# since an institution's NAT puts many authors behind one address (the address is the client's,
# read from TRUSTED_PROXIES' X-Forwarded-For by AccountAdapter.get_client_ip). Per account
# ("key"): tight, so guessing one account's password is slow from any number of addresses.
# Counters live in the cache: CACHE_URL must be shared (Redis) for them to hold across workers.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "30/m/ip,5/5m/key",
    "signup": "60/m/ip",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

ORCID_CLIENT_ID = env.str("ORCID_CLIENT_ID", default="")
ORCID_SECRET = env.str("ORCID_SECRET", default="")
ORCID_ENABLED = bool(ORCID_CLIENT_ID and ORCID_SECRET)
SOCIALACCOUNT_PROVIDERS = {
    "orcid": {
        "BASE_DOMAIN": env.str("ORCID_BASE_DOMAIN", default="orcid.org"),
        "MEMBER_API": False,
        "APPS": (
            [{"client_id": ORCID_CLIENT_ID, "secret": ORCID_SECRET, "key": ""}]
            if ORCID_ENABLED
            else []
        ),
    }
}

# --- i18n / time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are never served from a public URL: every download goes through a
# permission-checked view (mlsys.core.files). MEDIA_URL is deliberately not routed.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Django's two handlers; the temporary-file one turns a full FILE_UPLOAD_TEMP_DIR into a 503
# (mlsys.core.uploads) instead of a 500.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "mlsys.core.uploads.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
# Where uploads above FILE_UPLOAD_MAX_MEMORY_SIZE are received before they are stored (unset: the
# system's temporary directory). A separate disk keeps a full /tmp from refusing uploads.
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default="") or None

# --- Artifact evaluation ------------------------------------------------------------------
#: Fernet key (urlsafe base64, 32 bytes) encrypting the artifacts' access credentials at rest;
#: empty: derived from SECRET_KEY with HKDF (artifacts.secrets). ``ARTIFACT_SECRET_KEY_FILE`` too.
ARTIFACT_SECRET_KEY = env.str("ARTIFACT_SECRET_KEY", default="")
#: Seconds each HTTP request of the artifacts' smoke checks may take.
ARTIFACT_SMOKE_TIMEOUT = env.float("ARTIFACT_SMOKE_TIMEOUT", default=5.0)
#: {host: base URL} the smoke checks fetch instead (tests point known hosts at a local server);
#: a rewritten host skips the private-address refusal. Not read from the environment.
ARTIFACT_SMOKE_REWRITE: dict[str, str] = {}
#: Whether the smoke checks fetch anything: off, each check records one warning saying it did
#: not run (seed_demo turns them off while it seeds: the demo's repositories are fictional).
ARTIFACT_SMOKE_CHECKS = env.bool("ARTIFACT_SMOKE_CHECKS", default=True)

# --- Email --------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MLSys Conference <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# --- Email delivery under faults (issue 13) ---
# Seconds an SMTP connect or reply may take: a hanging server fails the send (transient, retried
# by the outbox sweep) instead of holding a worker until the task's time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
# Seconds an unsent email is retried (backoff 1, 2, 5, 10, 20, 40 min, then hourly) before it
# is marked failed; chairs see failed mail on their outbox page and can resend it.
MAIL_GIVE_UP_AFTER = env.int("MAIL_GIVE_UP_AFTER", default=48 * 3600)

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or env.str("REDIS_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or CELERY_BROKER_URL or None
# The test suite runs tasks in-process even when a broker is configured (CI's PostgreSQL run
# sets one); tests/integration switches this off to exercise a real worker.
CELERY_TASK_ALWAYS_EAGER = TESTING or not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # Eager mode never talks to a broker; an in-memory transport keeps Celery from reaching
    # for its default amqp://localhost when something builds a connection anyway.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=TESTING)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Progress and outcomes live in the database. With results on, every .delay() first subscribes
# to the result store, and a Redis outage then raises RuntimeError instead of kombu's
# OperationalError, which the outbox's "leave it for the sweep" path does not expect.
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1_000_000
)
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# --- Queues (issue 13): mail never waits behind PDF work, nor PDF checks behind a hung SMTP
# server. Workers consume `checks,celery` and `mail` (docs/deploy.md, "Workers and queues").
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "mail.*": {"queue": "mail"},
    "submissions.process_file": {"queue": "checks"},
    "submissions.recheck_track": {"queue": "checks"},
    "artifacts.stamp_camera_ready": {"queue": "checks"},
    "decisions.build_proceedings": {"queue": "checks"},
    "decisions.render_letter": {"queue": "checks"},
    "decisions.build_letter_archive": {"queue": "checks"},
}
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "mail.sweep_outbox", "schedule": 60.0},
    # Hourly, but each PC member gets at most one bid reminder a day (see reviews.bidding.services).
    "remind-bidders": {"task": "reviews.remind_bidders", "schedule": 3600.0},
    # Hourly; each reviewer gets at most one review reminder a day (see reviews.reminders.services).
    "remind-reviewers": {"task": "reviews.remind_reviewers", "schedule": 3600.0},
    # Hourly; each paper is reminded once per threshold (decisions.camera_ready.services).
    "remind-camera-ready": {"task": "decisions.remind_camera_ready", "schedule": 3600.0},
    # Every 6 hours; each invitee is reminded at most once per 3 days (conferences.invitations).
    "remind-invitations": {"task": "conferences.remind_invitations", "schedule": 6 * 3600.0},
    # Hourly; idempotent: moves artifacts whose AE window opened or closed (artifacts.evaluation).
    "advance-evaluations": {"task": "artifacts.advance_evaluations", "schedule": 3600.0},
}
# --- PDF checks survive a broker outage or a dead worker (issue 13) ---------------------
# Every minute the sweep queues again each check left pending: never handed to the broker (it
# was down), or handed over more than CHECK_REQUEUE_AFTER seconds ago (its worker died). The
# default is the hard time limit: past it no worker can still be running the check.
CHECK_REQUEUE_AFTER = env.int("CHECK_REQUEUE_AFTER", default=CELERY_TASK_TIME_LIMIT)
CELERY_BEAT_SCHEDULE["sweep-checks"] = {"task": "submissions.sweep_checks", "schedule": 60.0}
# With acks_late, Redis hands an unacknowledged message to another worker only after this
# many seconds. It must exceed the longest task's hard time limit (decisions.build_proceedings,
# 3700 s), or a long task is started twice while still running; lost PDF checks come back
# sooner through the sweep above. tests/submissions/test_check_sweep.py keeps it in step.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4000),
}

# --- Health (issue 13; mlsys.core.health, docs/deploy.md "Monitoring") -------------------
# Beat queues a heartbeat to each of these queues every HEALTH_HEARTBEAT_SECONDS; a worker of
# the queue records when it ran it. /healthz?full=1 fails once one is older than
# HEALTH_WORKER_STALE_AFTER seconds (three missed beats).
HEALTH_HEARTBEAT_QUEUES = env.list("HEALTH_HEARTBEAT_QUEUES", default=["celery", "mail"])
HEALTH_HEARTBEAT_SECONDS = env.float("HEALTH_HEARTBEAT_SECONDS", default=60.0)
HEALTH_WORKER_STALE_AFTER = env.int("HEALTH_WORKER_STALE_AFTER", default=180)
# A PDF check pending longer than this fails /healthz?full=1 (checks take seconds).
HEALTH_CHECK_PENDING_AFTER = env.int("HEALTH_CHECK_PENDING_AFTER", default=600)
# Mail pending longer than this, or failed in the last day, is reported as degraded.
HEALTH_MAIL_PENDING_AFTER = env.int("HEALTH_MAIL_PENDING_AFTER", default=900)
for _queue in HEALTH_HEARTBEAT_QUEUES:
    CELERY_BEAT_SCHEDULE[f"heartbeat-{_queue}"] = {
        "task": "core.heartbeat",
        "schedule": HEALTH_HEARTBEAT_SECONDS,
        "kwargs": {"queue": _queue},
        # Not run late: a worker back from an outage runs one heartbeat, not the backlog.
        "options": {"queue": _queue, "expires": HEALTH_HEARTBEAT_SECONDS},
    }

# --- Cache --------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mlsys.accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "mlsys.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mlsys.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MLSys conference API",
    "DESCRIPTION": "Submissions, reviewing, decisions and artifact evaluation for one conference "
    "per URL prefix. Authenticate with a session or with `Authorization: Bearer <token>` "
    "(tokens are created on your profile page).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mlsys.core.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "mlsys.conferences.enums.Phase",
        "ReviewFieldKindEnum": "reviews.enums.FieldKind",
        "FieldVisibilityEnum": "reviews.enums.FieldVisibility",
        "CommentVisibilityEnum": "reviews.enums.CommentVisibility",
        "InvitationStatusEnum": "mlsys.conferences.enums.InvitationStatus",
        "ProposalStatusEnum": "reviews.enums.ProposalStatus",
        "BidValueEnum": "reviews.enums.BidValue",
        "ProceedingsKindEnum": "decisions.enums.ProceedingsKind",
        "ProceedingsBuildStatusEnum": "decisions.enums.BuildStatus",
    },
}

# --- Security (hardened production defaults; docs/configuration.md, "HTTPS") ---------------
# Production (DEBUG off) assumes HTTPS: secure cookies, the redirect to https:// and HSTS are on
# unless switched off one by one, or all at once for a plain-HTTP trial with SECURE_HTTPS=false
# (`check --deploy` then says so). `make run` (DEBUG on) and the test suite default to off.
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env.bool(
    "SESSION_COOKIE_SECURE", default=SECURE_HTTPS or SITE_URL.startswith("https")
)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page may be framed; the one exception, the paper PDF embedded in the review page, is the
# protected-file view's own (mlsys.core.views.ProtectedFileView). Django's check security.W019
# asks for exactly this (it warns when X_FRAME_OPTIONS is not DENY).
X_FRAME_OPTIONS = "DENY"
if env.bool("SECURE_PROXY_SSL", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain HTTP is redirected to https:// (/healthz is exempt: it is polled over plain HTTP on
# 127.0.0.1 by compose and load balancers). HSTS: a year, subdomains and the preload flag (the
# flag does nothing until someone submits the domain at hstspreload.org; docs/deploy.md).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=SECURE_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HTTPS)

# Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' (django-csp). Scripts and
# styles come from our own static files only; a library template that needs an inline script
# carries the per-request nonce. PDFs are embedded with <object> (object-src), never framed
# elsewhere (frame-ancestors, as X-Frame-Options). Forms post to this site only, and to ORCID
# when sign-in with ORCID is on (Chrome applies form-action to the redirect after a post).
_form_action = [SELF]
if ORCID_ENABLED:
    _form_action.append(f"https://{SOCIALACCOUNT_PROVIDERS['orcid']['BASE_DOMAIN']}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": _form_action,
    }
}

# Largest request body accepted at all, checked on the headers before the body is read
# (mlsys.core.request_limits): one upload per request, so the default track's largest file
# (a 100 MB supplement) plus 5 MB for the rest of the form. A track allowing larger files needs
# a larger value (the track form says so); each file is still checked against its track.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=105 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The embedding backend's libraries announce every model load at INFO.
        **{name: {"level": "WARNING"} for name in ("sentence_transformers", "transformers")},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("MLSYS_TEST_MEDIA", default="/tmp/mlsys-test-media")},
    }

# Affinity scores (docs/affinity.md): the backend the chairs' "Compute affinities" preselects
# and the command uses by default, and the embedding backend's torch threads (0: one per core).
AFFINITY_BACKEND = env.str("AFFINITY_BACKEND", default="tfidf")
AFFINITY_EMBEDDING_THREADS = env.int("AFFINITY_EMBEDDING_THREADS", default=0)
