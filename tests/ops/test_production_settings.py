"""The production settings refuse to start with a default secret, DEBUG on or no allowed hosts."""

import os
import subprocess
import sys

import pytest

from tests.ops.children import ROOT

GOOD = {
    "GANXUN_SECRET_KEY": "x" * 50,
    "GANXUN_ALLOWED_HOSTS": "ganxun.example.gov.cn",
    "GANXUN_DEBUG": "0",
    "GANXUN_FIELD_KEY": "Z2FueHVuLWRldi1maWVsZC1rZXktcHVibGljLW5vdCE=",
}


def load_production(**overrides) -> subprocess.CompletedProcess:
    env = {**os.environ, **GOOD, **overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import ganxun.config.settings.production"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )


def test_good_settings_load():
    result = load_production()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"GANXUN_SECRET_KEY": ""}, "GANXUN_SECRET_KEY"),
        ({"GANXUN_SECRET_KEY": "short"}, "GANXUN_SECRET_KEY"),
        ({"GANXUN_DEBUG": "1"}, "GANXUN_DEBUG"),
        ({"GANXUN_ALLOWED_HOSTS": ""}, "GANXUN_ALLOWED_HOSTS"),
    ],
)
def test_unsafe_settings_refuse_to_start(overrides, named):
    result = load_production(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr
