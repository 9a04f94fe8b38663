"""The messaging models: the outbox (``outbox.py``: what was sent, to whom, on which channel,
how it went) and what people and administrators chose (``prefs.py``: templates, channel
preferences, the channels an organization allows, work-app addresses)."""

from ganxun.messaging.models.outbox import *  # noqa: F403
from ganxun.messaging.models.prefs import *  # noqa: F403
