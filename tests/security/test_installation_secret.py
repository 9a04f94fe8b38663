"""The embedded mode makes its own secret on the first run instead of a default in the repository.

With the old default (``insecure-embedded-default-change-me``) anyone who read the source could
sign a check-in code for any session and check in from home.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLISHED_DEFAULT = "insecure-embedded-default-change-me"

FORGE = """
import json, django
django.setup()
from django.conf import settings
from django.core import signing
from ganxun.checkin import codes
from ganxun.checkin.errors import CheckinError
PUBLISHED = "insecure-embedded-default-change-me"
forged = signing.Signer(key=PUBLISHED, salt=codes.SALT).sign(
    ".".join(codes._b36(n) for n in (7, 3, codes.current_slot()))
)
try:
    codes.read_code(forged)
    verdict = "accepted"
except CheckinError as exc:
    verdict = exc.code
genuine = codes.read_code(codes.make_code(7, 3)).session_id
print(json.dumps({"secret": settings.SECRET_KEY, "forged": verdict, "genuine": genuine}))
"""


def embedded(data_dir: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev"}
    env["GANXUN_DATA_DIR"] = str(data_dir)
    env.pop("GANXUN_SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", FORGE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_first_run_makes_a_secret_kept_in_the_data_folder(tmp_path):
    first = embedded(tmp_path / "a")
    assert first["secret"] != PUBLISHED_DEFAULT and len(first["secret"]) >= 50
    # a code signed with the published default no longer checks anybody in
    assert first["forged"] == "code_invalid"
    assert first["genuine"] == 7
    kept = tmp_path / "a" / "secret_key"
    assert kept.read_text().strip() == first["secret"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    # the next start reads it back (sessions and printed codes survive a restart)
    assert embedded(tmp_path / "a")["secret"] == first["secret"]
    # another installation has another secret
    assert embedded(tmp_path / "b")["secret"] != first["secret"]


def test_an_operator_secret_still_wins(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ganxun.config.settings.dev"}
    env.update(GANXUN_DATA_DIR=str(tmp_path), GANXUN_SECRET_KEY="k" + "9Zq3" * 12)
    code = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.SECRET_KEY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout.strip() == "k" + "9Zq3" * 12, result.stderr
    assert not (tmp_path / "secret_key").exists()
