"""Issue 16 item 10, over the whole tree: no Chinese text reaches a person without going through
Django's i18n, and the English catalogue has an entry for every message the code and templates
hold — none empty, none fuzzy, each keeping its placeholders — compiled as shipped."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.i18n_scan import scan

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "ganxun" / "locale" / "en" / "LC_MESSAGES" / "django.po"
SETTINGS = "ganxun.config.settings.test"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_no_chinese_outside_translatable_strings_anywhere():
    assert [str(f) for f in scan()] == []


def _msgattrib(path: Path, *flags: str) -> str:
    done = subprocess.run(
        ["msgattrib", "--no-wrap", *flags, str(path)], capture_output=True, text=True, check=True
    )
    return done.stdout


def _msgids(po_text: str) -> list[str]:
    return [m for m in re.findall(r'^msgid "(.*)"$', po_text, re.M) if m]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> Path:
    """The catalogue as `makemessages` makes it from today's code: a copy of the tree, so the
    shipped one is not touched, and the copy's own settings, so its LOCALE_PATHS point inside."""
    work = tmp_path_factory.mktemp("i18n")
    shutil.copytree(
        ROOT / "ganxun",
        work / "ganxun",
        ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"),
    )
    env = {**os.environ, "PYTHONPATH": str(work), "DJANGO_SETTINGS_MODULE": SETTINGS}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=work,
        env=env,
        capture_output=True,
        check=True,
    )
    return work / "ganxun" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_has_english(fresh_catalogue):
    missing = _msgids(_msgattrib(fresh_catalogue, "--untranslated"))
    fuzzy = _msgids(_msgattrib(fresh_catalogue, "--only-fuzzy"))
    assert missing == [] and fuzzy == []


def test_the_shipped_catalogue_is_the_fresh_one(fresh_catalogue):
    shipped = set(_msgids(_msgattrib(CATALOGUE, "--translated", "--no-fuzzy")))
    assert set(_msgids(_msgattrib(fresh_catalogue))) <= shipped


def test_every_translation_keeps_its_placeholders():
    text = _msgattrib(CATALOGUE, "--translated", "--no-fuzzy")
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if msgid and msgid.group(1) and msgstr:
            wanted = sorted(PLACEHOLDER.findall(msgid.group(1)))
            assert sorted(PLACEHOLDER.findall(msgstr.group(1))) == wanted, msgid.group(1)


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-c", "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes()
