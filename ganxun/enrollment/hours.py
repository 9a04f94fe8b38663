"""学时 of a session, for leave thresholds and the leave limit: the one definition in
``ganxun.core.hours``."""

from ganxun.core.hours import session_hours

__all__ = ["session_hours"]
