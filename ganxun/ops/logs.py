"""JSON log lines (one object per line) for journald, Loki or ELK.

Request lines carry method, path, route, status, duration and the user's numeric id — never
names, ID numbers or query strings."""

import json
import logging
from datetime import UTC, datetime

FIELDS = ("method", "path", "route", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({f: getattr(record, f) for f in FIELDS if hasattr(record, f)})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
