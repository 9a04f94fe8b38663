"""The embedded mode `make run` uses: SQLite in the data folder, a database task queue."""

from ganxun.config.settings.base import *  # noqa: F403
