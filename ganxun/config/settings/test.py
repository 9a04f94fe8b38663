"""Tests: fast hashing, tasks run in process, the database chosen by DATABASE_URL."""

from ganxun.config.settings.base import *  # noqa: F403
from ganxun.config.settings.base import DATABASES, GANXUN_FIELD_KEY, PUBLIC_DEV_FIELD_KEY

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "ganxun.accounts.passwords.InitialPasswordHasher",
]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

GANXUN_AUDIT_PURGE_ALLOWED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c ganxun.audit_purge=on"

# a fixed, public key: real personal data needs GANXUN_FIELD_KEY (production refuses without)
GANXUN_FIELD_KEY = GANXUN_FIELD_KEY or PUBLIC_DEV_FIELD_KEY
# Off for the suite at large (tests sign administrators in directly, and share one client
# address); tests/security turns each on where it is the behaviour under test.
GANXUN_2FA_REQUIRED_ROLES = []
GANXUN_RATELIMITS_ENABLED = False
