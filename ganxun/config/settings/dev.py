"""The embedded mode `make run` uses: SQLite in the data folder, a database task queue."""

from ganxun.config.settings.base import *  # noqa: F403
from ganxun.config.settings.base import GANXUN_FIELD_KEY, PUBLIC_DEV_FIELD_KEY

# a fixed, public key: real personal data needs GANXUN_FIELD_KEY (production refuses without)
GANXUN_FIELD_KEY = GANXUN_FIELD_KEY or PUBLIC_DEV_FIELD_KEY
