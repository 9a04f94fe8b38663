"""The embedded mode `make run` uses: SQLite in the data folder, a database task queue."""

from ganxun.config.env import env_list, env_str
from ganxun.config.secrets import installation_secret
from ganxun.config.settings.base import *  # noqa: F403
from ganxun.config.settings.base import DATA_DIR, GANXUN_FIELD_KEY, PUBLIC_DEV_FIELD_KEY

# a fixed, public key: real personal data needs GANXUN_FIELD_KEY (production refuses without)
GANXUN_FIELD_KEY = GANXUN_FIELD_KEY or PUBLIC_DEV_FIELD_KEY
# No operator sets a secret here, and a default published in the repository would let anyone
# forge check-in codes: the first run makes one and keeps it in the data folder (secret_key).
if not env_str("GANXUN_SECRET_KEY"):
    SECRET_KEY = installation_secret(DATA_DIR)
# A newcomer trying the demo on 127.0.0.1 is not forced to bind an authenticator app at the first
# login: administrators are offered it instead (GANXUN_2FA_OFFERED_ROLES, a banner on the home
# page). Production keeps requiring it (base.py); set GANXUN_2FA_REQUIRED_ROLES=admin to try that.
GANXUN_2FA_REQUIRED_ROLES = env_list("GANXUN_2FA_REQUIRED_ROLES", [])
