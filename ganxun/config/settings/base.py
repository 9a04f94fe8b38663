"""Settings shared by every environment. Environment variables come only through config.env."""

from datetime import timedelta

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ganxun.config.env import BASE_DIR, channels_config, data_dir, env_bool, env_list, env_str

DATA_DIR = data_dir()
SECRET_KEY = env_str("GANXUN_SECRET_KEY", "insecure-embedded-default-change-me")
DEBUG = env_bool("GANXUN_DEBUG", False)
ALLOWED_HOSTS = env_list("GANXUN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' scripts itself instead of from a CDN
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ganxun.core",
    "ganxun.orgs",
    "ganxun.accounts",
    "ganxun.messaging",
    "ganxun.catalog",
    "ganxun.surveys",
    "ganxun.needs",
    "ganxun.programs",
    "ganxun.enrollment",
    "ganxun.checkin",
    "ganxun.evaluations",
    "ganxun.outcomes",
    "ganxun.credits",
    "ganxun.learning",
    "ganxun.budgets",
    "ganxun.stats",
    "ganxun.reminders",
    "ganxun.portal",
    "ganxun.demo",
    "ganxun.ops",
]

MIDDLEWARE = [
    "ganxun.ops.middleware.RequestLogMiddleware",  # first: its duration covers every layer
    "django.middleware.security.SecurityMiddleware",
    "ganxun.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ganxun.core.middleware.ActorMiddleware",  # the request user is the scoped queries' actor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ganxun.core.middleware.RequestContextMiddleware",
    "ganxun.core.middleware.DomainErrorMiddleware",
    "ganxun.accounts.middleware.IdleTimeoutMiddleware",
    "ganxun.accounts.middleware.ForcePasswordChangeMiddleware",
    "ganxun.accounts.security.AccountSecurityMiddleware",
    "ganxun.checkin.pending.PendingScanMiddleware",  # after every sign-in step: back to the scan
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ganxun.config.urls"
WSGI_APPLICATION = "ganxun.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ganxun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ganxun.portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ganxun.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,  # a connection PostgreSQL dropped is replaced, not reused
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# A read replica for reports (docs/scaling.md): settings only, see ganxun/ops/routers.py
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
GANXUN_REPLICA_PATHS = env_list("GANXUN_REPLICA_PATHS", ["/stats/"])
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ganxun.ops.routers.ReportReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("ganxun.core.middleware.RequestContextMiddleware"),
        "ganxun.ops.routers.ReplicaForReportsMiddleware",
    )

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- login security (等保 2.0 level 3: identification, lockout, idle logout) -----------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "ganxun.accounts.passwords.InitialPasswordHasher",  # bulk accounts' initial passwords
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "ganxun.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A wrong password during the lockout must not restart the 15 minutes, or one attempt every
# 14 minutes would hold an account locked for ever (issue 25).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
GANXUN_IDLE_TIMEOUT = timedelta(minutes=30)
# Sessions live in the database (accounts/sessions.py: Django's, its read written once); with
# Redis (shared by every process) they are cached there too. Without Redis the cache would be
# each process's memory: a session logged out (or flushed by the idle logout) in one gunicorn
# worker would stay valid in the others' caches, and with thousands of signed-in trainees the
# 300 entries of a local cache miss anyway (issue 19).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "ganxun.accounts.sessions"
)
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "ganxun" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files (served by the app; nothing from a CDN) -------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root before collectstatic
STATICFILES_DIRS = [BASE_DIR / "ganxun" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# nginx serves stored files when set (X-Accel-Redirect to this internal location): catalog/files.py
MEDIA_ACCEL_PREFIX = env_str("GANXUN_MEDIA_ACCEL", "")
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

MESSAGE_TAGS = {40: "danger"}

# GANXUN_LOG_JSON=1 (production): one JSON object per line, one line per request (ganxun.ops)
LOG_JSON = env_bool("GANXUN_LOG_JSON", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ganxun.ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_JSON else {})}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "ganxun.request": {"level": "INFO" if LOG_JSON else "WARNING"},
        # django.request repeats each 4xx/5xx as text; the request line already says it
        **({"django.request": {"level": "ERROR"}} if LOG_JSON else {}),
    },
}

# --- operations (ganxun.ops) -------------------------------------------------------------------
GANXUN_METRICS_TOKEN = env_str("GANXUN_METRICS_TOKEN")
GANXUN_WORKER_STALE_SECONDS = int(env_str("GANXUN_WORKER_STALE_SECONDS", "30"))
GANXUN_READYZ_REQUIRE_WORKER = env_bool("GANXUN_READYZ_REQUIRE_WORKER", False)

GANXUN_SITE_NAME = _("干部教育培训管理平台")

# Lockout is per account on purpose: a whole office often shares one NAT address, and locking
# the address would lock every colleague out (rate limiting by address is a separate control).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Only the test settings turn this on, so test databases can be emptied between tests.
GANXUN_AUDIT_PURGE_ALLOWED = False

# --- security (docs/security.md) ---------------------------------------------------------------
# Encryption at rest of 身份证号 and phone numbers (core/crypto.py): 32 random bytes, base64.
# Production refuses to start without it; dev and test use a fixed, public key.
GANXUN_FIELD_KEY = env_str("GANXUN_FIELD_KEY")
PUBLIC_DEV_FIELD_KEY = "Z2FueHVuLWRldi1maWVsZC1rZXktcHVibGljLW5vdCE="  # dev/test only: public
# Days a password stays valid, per kind of account; 0 turns expiry off (accounts/security.py).
GANXUN_PASSWORD_MAX_AGE_DAYS = int(env_str("GANXUN_PASSWORD_MAX_AGE_DAYS", "90"))
GANXUN_TRAINEE_PASSWORD_MAX_AGE_DAYS = int(env_str("GANXUN_TRAINEE_PASSWORD_MAX_AGE_DAYS", "0"))
# Roles that must sign in with a second factor (TOTP); others may enrol if they wish.
GANXUN_2FA_REQUIRED_ROLES = env_list("GANXUN_2FA_REQUIRED_ROLES", ["admin"])
# Roles offered enrolment (a dismissible banner on the home page) where it is not required:
# in the embedded demo (dev.py) administrators are offered it rather than forced into it.
GANXUN_2FA_OFFERED_ROLES = env_list("GANXUN_2FA_OFFERED_ROLES", ["admin"])
# Audit entries younger than this are never purged; 等保 2.0 asks for at least 180 days.
GANXUN_AUDIT_RETENTION_DAYS = max(180, int(env_str("GANXUN_AUDIT_RETENTION_DAYS", "180")))
# Days a form's submission key is kept (core/idempotency.py): long enough for a double click or
# a retried post to land on the first result; the worker purges older keys hourly.
GANXUN_SUBMISSION_KEY_DAYS = max(1, int(env_str("GANXUN_SUBMISSION_KEY_DAYS", "1")))
# Content-Security-Policy sent with every page (core/security.py): no inline script anywhere.
# Inline style attributes (progress bars, theme colours) remain: docs/security.md says why.
GANXUN_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
GANXUN_RATELIMITS_ENABLED = env_bool("GANXUN_RATELIMITS_ENABLED", True)
# Trainees who may arrive together behind one address (a hall on the venue's Wi-Fi): the
# per-address limits on scanning and signing in are sized for them (core/ratelimit.py).
GANXUN_RATELIMIT_HALL = int(env_str("GANXUN_RATELIMIT_HALL", "5000"))
SESSION_COOKIE_NAME = "ganxun_session"
CSRF_COOKIE_HTTPONLY = True

# Anonymity of evaluation results: every breakdown (by unit, lecturer, course, month, org page,
# the statistics' satisfaction panel) hides groups with fewer forms than this
# (read through evaluations.policies.min_group).
GANXUN_ANONYMITY_MIN_GROUP = max(2, int(env_str("GANXUN_ANONYMITY_MIN_GROUP", "5")))

# Notification channels beyond the in-app inbox (SMS, e-mail, 企业微信, 钉钉, 浙政钉): code →
# settings, from GANXUN_CHANNELS_FILE or GANXUN_CHANNELS_JSON (docs/deployment.md, "Notification
# channels"; ganxun/messaging/channels/registry.py). Empty: in-app notices only.
GANXUN_CHANNELS = channels_config()

# SMS texts (messaging/templates.py): the signature the gateway puts in front (counted in the
# length as 【…】) and the longest text, signature included, an administrator may save: 70 is
# one segment; longer texts go as several segments of 67.
GANXUN_SMS_SIGNATURE = env_str("GANXUN_SMS_SIGNATURE", "干部培训")
GANXUN_SMS_MAX_CHARS = max(70, int(env_str("GANXUN_SMS_MAX_CHARS", "70")))
# --- The outbox's delivery loop (ganxun/messaging/delivery.py; docs/ARCHITECTURE.md "Outbox") ---
# How often each channel's loop looks for due deliveries, how many it claims at a time, and how
# long one round may keep draining a backlog before it yields.
GANXUN_OUTBOX_POLL_SECONDS = float(env_str("GANXUN_OUTBOX_POLL_SECONDS", "2"))
GANXUN_OUTBOX_BATCH = int(env_str("GANXUN_OUTBOX_BATCH", "50"))
GANXUN_OUTBOX_ROUND_SECONDS = float(env_str("GANXUN_OUTBOX_ROUND_SECONDS", "30"))
# A claim's lease: longer than any channel's timeout; a killed worker's claims expire after it
# and are sent by the next worker with the same idempotency key.
GANXUN_OUTBOX_LEASE_SECONDS = int(env_str("GANXUN_OUTBOX_LEASE_SECONDS", "300"))
# Retries: exponential backoff from BACKOFF seconds, doubled each time, capped; after
# MAX_ATTEMPTS the delivery fails and its last reason is shown to the sender.
GANXUN_OUTBOX_MAX_ATTEMPTS = int(env_str("GANXUN_OUTBOX_MAX_ATTEMPTS", "8"))
GANXUN_OUTBOX_BACKOFF_SECONDS = int(env_str("GANXUN_OUTBOX_BACKOFF_SECONDS", "30"))
GANXUN_OUTBOX_BACKOFF_MAX_SECONDS = int(env_str("GANXUN_OUTBOX_BACKOFF_MAX_SECONDS", "3600"))
# Per-channel rate, shared by every worker (core/counters.py): "code=N/period", e.g. sms=20/s.
GANXUN_OUTBOX_RATES = dict(
    item.split("=", 1)
    for item in env_list(
        "GANXUN_OUTBOX_RATES",
        ["sms=20/s", "email=10/s", "wecom=20/s", "dingtalk=20/s", "zzd=20/s"],
    )
    if "=" in item
)
# Quiet hours (local time, "22:00-07:00"; empty: none): only urgent kinds go out then.
GANXUN_OUTBOX_QUIET_HOURS = env_str("GANXUN_OUTBOX_QUIET_HOURS", "22:00-07:00")
# The site's address as people reach it, for links in SMS, e-mails and work-app cards.
GANXUN_SITE_URL = env_str("GANXUN_SITE_URL")
