"""Production: refuse to start with a guessable secret, DEBUG on, wildcard hosts or a public key.

The rules live in ganxun/config/secrets.py (docs/security.md).
"""

from django.core.exceptions import ImproperlyConfigured

from ganxun.config.secrets import allowed_hosts_problem, field_key_problem, secret_key_problem
from ganxun.config.settings.base import *  # noqa: F403
from ganxun.config.settings.base import (
    ALLOWED_HOSTS,
    DEBUG,
    GANXUN_FIELD_KEY,
    PUBLIC_DEV_FIELD_KEY,
    SECRET_KEY,
)

if problem := secret_key_problem(SECRET_KEY):
    raise ImproperlyConfigured(
        f"GANXUN_SECRET_KEY {problem}: set a random value of 50 characters "
        '(python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
    )
if DEBUG:
    raise ImproperlyConfigured("GANXUN_DEBUG must be off in production")
if problem := allowed_hosts_problem(ALLOWED_HOSTS):
    raise ImproperlyConfigured(f"GANXUN_ALLOWED_HOSTS {problem}")
# Personal data is encrypted with this key (core/crypto.py); a public default would defeat it.
if problem := field_key_problem(GANXUN_FIELD_KEY, public_key=PUBLIC_DEV_FIELD_KEY):
    raise ImproperlyConfigured(f"GANXUN_FIELD_KEY {problem}")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# __Host- cookies: only over HTTPS, only for this exact host, path /
SESSION_COOKIE_NAME = "__Host-ganxun_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
