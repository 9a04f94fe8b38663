"""The one place that reads the environment. Settings import from here and nowhere else."""

import json
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, uploads and job results live (git-ignored by default)."""
    path = Path(env_str("GANXUN_DATA_DIR", str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def channels_config() -> dict[str, Any]:
    """The notification channels (messaging/channels/registry.py): code → settings object.

    ``GANXUN_CHANNELS_FILE`` names a JSON file (keep it readable by the service account only:
    it holds the secrets), else ``GANXUN_CHANNELS_JSON`` holds the JSON itself; neither: none
    (in-app notices only). Malformed JSON stops the start with the reason."""
    path = os.environ.get("GANXUN_CHANNELS_FILE", "").strip()
    if path:
        source = f"GANXUN_CHANNELS_FILE={path}"
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ImproperlyConfigured(f"{source}: {exc}") from exc
    else:
        source = "GANXUN_CHANNELS_JSON"
        raw = os.environ.get("GANXUN_CHANNELS_JSON", "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{source}: not valid JSON ({exc})") from exc
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ImproperlyConfigured(f"{source}: expected {{code: {{settings}}, ...}}")
    return value
