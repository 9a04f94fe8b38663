"""The production settings refuse to start with a default secret, DEBUG on or no allowed hosts."""

import os
import subprocess
import sys

import pytest

from tests.ops.children import ROOT

GOOD = {
    "GANXUN_SECRET_KEY": "q7Vd-2LmR9xKp4TzW0bN8sYcJ6hFuE3aG1oIiP5vXnQ",
    "GANXUN_ALLOWED_HOSTS": "ganxun.example.gov.cn",
    "GANXUN_DEBUG": "0",
    "GANXUN_FIELD_KEY": "Z2FueHVuLXRlc3QtZmllbGQta2V5LTMyLWJ5dGVzISE=",
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


def example_env_value(name: str) -> str:
    """The value deploy/ganxun.env.example ships with, as an operator would copy it."""
    for line in (ROOT / "deploy" / "ganxun.env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} not in the example env")


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        # the example env's secret is exactly 32 characters: long enough, and public
        ({"GANXUN_SECRET_KEY": example_env_value("GANXUN_SECRET_KEY")}, "GANXUN_SECRET_KEY"),
        ({"GANXUN_SECRET_KEY": "x" * 50}, "GANXUN_SECRET_KEY"),
        ({"GANXUN_SECRET_KEY": "ab" * 30}, "GANXUN_SECRET_KEY"),
        ({"GANXUN_SECRET_KEY": "please-change-me-0123456789abcdefghijklmnop"}, "GANXUN_SECRET_KEY"),
        (
            {"GANXUN_SECRET_KEY": "django-insecure-k3j5h6g7f8d9s0a1q2w3e4r5t6y7u8i9o0p"},
            "GANXUN_SECRET_KEY",
        ),
        ({"GANXUN_ALLOWED_HOSTS": "*"}, "GANXUN_ALLOWED_HOSTS"),
        ({"GANXUN_ALLOWED_HOSTS": "ganxun.example.gov.cn,*"}, "GANXUN_ALLOWED_HOSTS"),
        # the development key is in the repository: ID numbers encrypted with it are readable
        ({"GANXUN_FIELD_KEY": "Z2FueHVuLWRldi1maWVsZC1rZXktcHVibGljLW5vdCE="}, "GANXUN_FIELD_KEY"),
        ({"GANXUN_FIELD_KEY": "Z2FueHVuLWRldi1maWVsZC1rZXktcHVibGljLW5vdCE"}, "GANXUN_FIELD_KEY"),
        ({"GANXUN_FIELD_KEY": "A" * 43 + "="}, "GANXUN_FIELD_KEY"),
    ],
)
def test_placeholder_wildcard_and_public_values_refuse_to_start(overrides, named):
    result = load_production(**overrides)
    assert result.returncode != 0, f"production started with {overrides}"
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_a_generated_secret_and_field_key_start():
    import secrets

    from ganxun.core.crypto import new_master_key

    result = load_production(
        GANXUN_SECRET_KEY=secrets.token_urlsafe(50),
        GANXUN_FIELD_KEY=new_master_key(),
        GANXUN_ALLOWED_HOSTS="ganxun.example.gov.cn,.ganxun.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    # Django's own generator and a 32-character hex token are random enough too
    from django.core.management.utils import get_random_secret_key

    for value in (get_random_secret_key(), secrets.token_hex(16)):
        assert load_production(GANXUN_SECRET_KEY=value).returncode == 0, value
