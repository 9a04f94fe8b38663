"""Production: refuse to start with a default secret, DEBUG on or no allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from ganxun.config.settings.base import *  # noqa: F403
from ganxun.config.settings.base import ALLOWED_HOSTS, DEBUG, SECRET_KEY

if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("GANXUN_SECRET_KEY must be set to a random value of 32+ characters")
if DEBUG:
    raise ImproperlyConfigured("GANXUN_DEBUG must be off in production")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("GANXUN_ALLOWED_HOSTS must name the hosts this site answers")

# Personal data is encrypted with this key (core/crypto.py); a public default would defeat it.
from ganxun.config.settings.base import GANXUN_FIELD_KEY
from ganxun.core.crypto import parse_master_key

if not GANXUN_FIELD_KEY:
    raise ImproperlyConfigured("GANXUN_FIELD_KEY must be set (generate one: ganxun field-key)")
parse_master_key(GANXUN_FIELD_KEY)  # raises ImproperlyConfigured unless 32 bytes in base64

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# __Host- cookies: only over HTTPS, only for this exact host, path /
SESSION_COOKIE_NAME = "__Host-ganxun_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
