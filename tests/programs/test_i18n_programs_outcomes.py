"""Issue 16 item 10 for programs and outcomes: every user-facing string goes through Django's
i18n, the English for them is complete, and a program's pages read in English when English is
chosen (names and other data excepted)."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, Org
from ganxun.programs.dates import when_label
from ganxun.programs.models import Session
from tests.factories import CadreFactory
from tests.i18n_scan import scan
from tests.programs.factories import enroll, make_session

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "ganxun" / "locale"
PART = LOCALE / "parts" / "i18nc.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_no_chinese_outside_translatable_strings_in_programs_and_outcomes():
    assert [str(f) for f in scan(("programs", "outcomes"))] == []


def _entries(text: str):
    """(block, msgid, [msgstr…]) for every entry but the header; plural forms included."""
    for block in text.split("\n\n"):
        ids = re.findall(r'^msgid(?:_plural)? "(.*)"$', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        if ids and ids[0]:
            yield block, ids, strs


def test_english_part_has_no_empty_or_fuzzy_entry_and_keeps_every_placeholder():
    entries = list(_entries(PART.read_text(encoding="utf-8")))
    assert len(entries) > 700
    for block, ids, strs in entries:
        assert strs and all(strs), ids[0]
        assert "fuzzy" not in block, ids[0]
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for text in strs:
            assert set(PLACEHOLDER.findall(text)) == wanted, ids[0]
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(PART)], capture_output=True)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture
def english(tmp_path):
    """The catalogue as it will be merged (main django.po with the helpers' parts), compiled
    into a temporary locale directory, so the pages can be read in English here."""
    target = tmp_path / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    merged = tmp_path / "django.po"
    sources = [str(LOCALE / "en" / "LC_MESSAGES" / "django.po"), str(PART)]
    sources += [str(p) for p in sorted((LOCALE / "parts").glob("*.po")) if p != PART]
    subprocess.run(["msgcat", "--use-first", "-o", str(merged), *sources], check=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(merged)], check=True)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        yield
    translation.trans_real._translations = {}


def test_a_session_time_follows_the_language(english):
    start = timezone.make_aware(datetime.datetime(2030, 3, 16, 9, 0))
    end = start + datetime.timedelta(hours=2, minutes=30)
    assert when_label(start, end) == "2030-03-16（周六）09:00–11:30"
    with translation.override("en"):
        assert when_label(start, end) == "2030-03-16 (Sat) 09:00–11:30"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _data(setup) -> set[str]:
    """Names and other data on the pages: they stay as entered."""
    return {
        *Org.objects.values_list("name", flat=True),
        *Cadre.objects.values_list("name", flat=True),
        *Cadre.objects.values_list("position", flat=True),
        *Session.objects.values_list("title", flat=True),
        setup.program.full_name,
        setup.program.name,
        setup.hall.name,
        setup.video.name,
        setup.zhang.name,
        setup.zhang.affiliation,
        setup.march.title,
        setup.april.title,
        str(setup.organizer),
        str(setup.reviewer),
        "简体中文",
    }


def test_a_programs_pages_read_in_english(client, setup, city, english):
    trainee = CadreFactory(unit=city.town_a1, name="陈学员")
    enroll(setup.program, [trainee], batch=None)
    start = timezone.now() + datetime.timedelta(days=3)
    session = make_session(setup.program, start, lecturers=[setup.zhang], main_venue=setup.hall)
    session.sub_venues.add(setup.video)
    client.force_login(setup.organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pk = setup.program.pk
    urls = [
        f"/programs/{pk}/",
        f"/programs/{pk}/sessions/",
        f"/programs/{pk}/trainees/",
        f"/programs/{pk}/batches/",
        f"/programs/{pk}/timetable/",
        f"/programs/{pk}/calendar/?view=week&date={start:%Y-%m-%d}",
        f"/programs/sessions/{session.pk}/",
        reverse("outcomes:summary", args=[pk]),
        reverse("outcomes:graduation", args=[pk]),
        reverse("outcomes:loop", args=[pk]),
        reverse("outcomes:followups", args=[pk]),
        reverse("outcomes:program_outcomes", args=[pk]),
        reverse("outcomes:showcase", args=[pk]),
        "/programs/",
        "/programs/venues/",
        "/programs/pending-outlines/",
        f"/programs/{pk}/outlines/",
    ]
    with unscoped():
        data = _data(setup)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        for name in sorted(data, key=len, reverse=True):
            text = text.replace(name, " ")
        leftover = sorted({line.strip() for line in text.splitlines() if HAN.search(line)})
        assert leftover == [], (url, leftover[:5])
