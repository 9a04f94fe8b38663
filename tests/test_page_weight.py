"""Every page of the demo city, as its city administrator sees it, weighs under 60 KB of HTML.

The demo (1,794 organizations) is where a large ``<select>`` of every organization made pages
of 100–170 KB that took seconds to lay out. The walk starts from every page without an id in
its URL and follows the links it finds, at most two URLs per route, GET only, no downloads.
``python -m pytest tests/test_page_weight.py -s`` prints the heaviest and slowest pages (their
figures are in docs/benchmarks.md).
"""

import re
import time
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.urls import Resolver404, resolve

from ganxun.accounts.models import User
from ganxun.core.scoping import unscoped
from ganxun.credits.forms import PLATFORMS
from ganxun.evaluations.selectors.results import feedback_taxonomy
from ganxun.messaging.kinds import all_kinds
from ganxun.messaging.templates import preview
from tests.test_scoping_http import walk

LIMIT = 60 * 1024
PER_ROUTE = 2
SKIP = re.compile(
    r"(export|download|\.xlsx|\.csv|\.docx|\.pdf|/qr/|logout|/i18n/|/api/|healthz|readyz|"
    r"metrics|favicon|/pick/|/s/|/verify/|/file/|/attachment|/media/|/static/)"
)
HREF = re.compile(r'href="(/[^"#]*)"')
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# what a reader never sees: scripts, styles, JSON data islands, and the language menu's own names
VISIBLE = re.compile(r"<(script|style)\b.*?</\1>|<option value=\"zh-hans\"[^<]*", re.S)


def start_urls() -> list[str]:
    return ["/" + p for p in walk() if "<" not in p and not SKIP.search("/" + p)]


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


@pytest.mark.django_db
def test_every_demo_page_weighs_under_60_kb_for_the_city_administrator(client, capsys):
    call_command("demo", seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(User.objects.get(username="admin"))
    client.raise_request_exception = False
    errors: list[str] = []
    queue = deque(start_urls())
    seen_urls: set[str] = set()
    per_route: dict[str, int] = {}
    pages: list[tuple[int, float, str]] = []
    while queue:
        url = queue.popleft()
        path = urlparse(url).path
        route = route_of(path)
        if url in seen_urls or route is None or per_route.get(route, 0) >= PER_ROUTE:
            continue
        seen_urls.add(url)
        per_route[route] = per_route.get(route, 0) + 1
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code >= 500:
            errors.append(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((len(response.content), elapsed, url))
        for href in HREF.findall(html):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if not SKIP.search(link) and link not in seen_urls:
                queue.append(link)
    heavy = sorted(pages, reverse=True)
    with capsys.disabled():
        print(f"\n{len(pages)} pages over {len(per_route)} routes; heaviest and slowest:")
        for size, elapsed, url in heavy[:10]:
            print(f"  {size / 1024:6.1f} KB  {elapsed * 1000:6.0f} ms  {url}")
        for size, elapsed, url in sorted(pages, key=lambda p: -p[1])[:10]:
            print(f"  {elapsed * 1000:6.0f} ms  {size / 1024:6.1f} KB  {url}")
    assert len(per_route) >= 60  # the walk reached most of the site
    assert errors == []
    over = [(round(size / 1024, 1), url) for size, _, url in heavy if size > LIMIT]
    assert over == []
    # and the same pages, read in English, hold no Chinese but the city's own data (issue 16)
    leftover = chinese_in_english(client, [url for _, _, url in pages])
    with capsys.disabled():
        for url, runs in leftover.items():
            print(f"  Chinese in English: {url}: {' '.join(runs)}")
    assert leftover == {}


def data_runs() -> set[str]:
    """Every run of Chinese characters the database holds as text: names of organizations,
    people, courses, rooms, programs, the questions of forms — data, which stays as entered."""
    runs: set[str] = set()
    with unscoped():
        for model in apps.get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
                and not f.choices
            ]
            if not fields:
                continue
            for row in model._default_manager.values_list(*fields).iterator():
                for value in row:
                    if value:
                        # JSON (audit changes, job parameters) holds data too: read its text
                        runs.update(HAN.findall(value if isinstance(value, str) else str(value)))
    # the online platforms' own names, offered as the default of a free-text field
    runs.update(HAN.findall(" ".join(PLATFORMS)))
    # the notice kinds' default texts and sample values, offered in the template editor: the
    # Chinese notices themselves (data), not the page's words
    for kind in all_kinds():
        samples = [v.sample for v in kind.variables]
        filled = preview(kind, **kind.default_texts())[0]  # the editor's preview
        texts = [kind.title, kind.body, kind.sms, *samples, filled.title, filled.body, filled.sms]
        runs.update(HAN.findall(" ".join(texts)))
    runs.update(HAN.findall(settings.GANXUN_SMS_SIGNATURE))  # the SMS signature: configuration
    # the themes class comments are grouped under: a Chinese keyword table read from a data file
    # (evaluations/data/feedback_taxonomy.json), like the needs clustering's own taxonomy
    runs.update(HAN.findall(" ".join(t.name for t in feedback_taxonomy().topics)))
    return runs


def chinese_in_english(client, urls: list[str]) -> dict[str, list[str]]:
    # a run cut from data (a long need statement shortened for a list) is data too
    known = "\x00".join(data_runs())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = VISIBLE.sub(" ", response.content.decode())
        left = sorted({run for run in HAN.findall(text) if run not in known})
        if left:
            found[url] = left
    return found
