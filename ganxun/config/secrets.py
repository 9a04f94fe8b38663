"""What a secret must look like before the site will run with it (docs/security.md).

Production refuses a placeholder or guessable ``GANXUN_SECRET_KEY``, a wildcard in
``GANXUN_ALLOWED_HOSTS`` and the public development ``GANXUN_FIELD_KEY``. The embedded mode
(`make run`, settings.dev) has no operator to set a secret, so it makes one on the first run and
keeps it in the data folder: a default published in the repository would let anyone forge
check-in codes and survey links.
"""

import math
import os
import secrets
import time
from collections import Counter
from pathlib import Path

# The value deploy/ganxun.env.example ships with, and words only a placeholder contains.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-value"
PLACEHOLDER_WORDS = (
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "replaceme",
    "insecure",
    "placeholder",
    "example",
    "your-secret",
    "secret-key",
    "secretkey",
    "password",
    "django-insecure",
)
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 100  # estimated: length × Shannon entropy per character
MIN_DISTINCT = 10

SECRET_FILE_NAME = "secret_key"


def estimated_bits(value: str) -> float:
    """Length × the empirical Shannon entropy per character: "x"*50 scores 0."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    per_char = -sum(c / n * math.log2(c / n) for c in counts.values())
    return per_char * n


def example_values() -> set[str]:
    """The values deploy/ganxun.env.example ships with (when the file is at hand)."""
    from ganxun.config.env import BASE_DIR  # deferred: settings import this module, keep it bare

    values = {EXAMPLE_SECRET_KEY}
    try:
        lines = (BASE_DIR / "deploy" / "ganxun.env.example").read_text().splitlines()
    except OSError:
        return values
    for line in lines:
        if "=" in line and not line.lstrip().startswith("#"):
            value = line.split("=", 1)[1].strip()
            if value:
                values.add(value.lower())
    return values


def secret_key_problem(value: str) -> str | None:
    """Why ``value`` is no fit secret key, or None if it is."""
    lowered = value.strip().lower()
    if not lowered:
        return "is not set"
    if lowered in example_values() or any(word in lowered for word in PLACEHOLDER_WORDS):
        return "is a placeholder (the example value or a word like change-me)"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < MIN_DISTINCT or estimated_bits(value) < MIN_SECRET_BITS:
        return "is not random enough (repeated or too few distinct characters)"
    return None


def allowed_hosts_problem(hosts: list[str]) -> str | None:
    if not hosts:
        return "must name the hosts this site answers"
    wild = [host for host in hosts if "*" in host]
    if wild:
        return f"must not contain a wildcard ({', '.join(wild)}): name the hosts"
    return None


def field_key_problem(value: str, *, public_key: str) -> str | None:
    """The field key is set, well-formed, not the public development key and not degenerate."""
    from ganxun.core.crypto import parse_master_key  # deferred: not while settings load

    if not value:
        return "must be set (generate one: ganxun field-key)"
    raw = parse_master_key(value)  # raises ImproperlyConfigured unless 32 bytes in base64
    if raw == parse_master_key(public_key):
        return (
            "is the public development key published in the repository "
            "(generate one: ganxun field-key)"
        )
    if len(set(raw)) < 16:
        return "is not random (generate one: ganxun field-key)"
    return None


def installation_secret(data_dir: Path) -> str:
    """The embedded mode's secret key: made on the first run, kept in the data folder (0600)."""
    path = Path(data_dir) / SECRET_FILE_NAME
    try:
        existing = path.read_text().strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    value = secrets.token_urlsafe(50)
    try:
        # O_EXCL: two processes starting at once (web server and worker) agree on one secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # the other process is writing it: wait a moment for its value
        for _ in range(100):
            existing = path.read_text().strip()
            if existing:
                return existing
            time.sleep(0.01)
        raise
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value
