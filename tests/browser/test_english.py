"""Issue 16 item 10: a user who picks English in the footer reads the program, session, check-in
board and evaluation pages in English. Names and other data stay as entered, so the test strips
the data it made (and the organizations' and people's names) and then finds no Chinese left."""

import re

import pytest
from django.apps import apps
from django.db import models

from ganxun.core.scoping import unscoped
from tests.browser.conftest import sign_in
from tests.evaluations.conftest import scene  # noqa: F401  (the fixture)
from tests.factories import PASSWORD

DATA_APPS = ("orgs", "accounts", "catalog", "programs", "surveys")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def switch_to_english(page) -> None:
    page.select_option("#gx-lang", "en")
    page.wait_for_function("document.documentElement.lang.startsWith('en')")


def chinese_left(page, data: list[str]) -> list[str]:
    # the language menu names each language in itself (简体中文), as language menus do
    text = page.locator("body").inner_text().replace("简体中文", "")
    # longest first, so "东江县青年干部班" goes before "东江县"
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return HAN.findall(text)


def _text_values(model) -> list[str]:
    fields = [
        f.name for f in model._meta.fields if isinstance(f, models.CharField | models.TextField)
    ]
    rows = model._default_manager.values_list(*fields) if fields else []
    return [value for row in rows for value in row if value]


def data_names() -> list[str]:
    """Every text the test's data holds: names of organizations, people, courses, rooms, the
    program and its sessions, and the evaluation form the organizer set up."""
    names = []
    with unscoped():
        for label in DATA_APPS:
            for model in apps.get_app_config(label).get_models():
                names += _text_values(model)
    return names


@pytest.mark.django_db(transaction=True)
def test_an_organizer_reads_her_class_in_english(scene, desktop, live_server):  # noqa: F811
    data = data_names()
    sign_in(desktop, live_server, scene.organizer.username, PASSWORD)
    switch_to_english(desktop)
    pages = {
        "program": f"/programs/{scene.program.pk}/",
        "session": f"/programs/sessions/{scene.session.pk}/",
        "check-in board": f"/checkin/sessions/{scene.session.pk}/board/",
        "evaluation results": f"/evaluations/sessions/{scene.session.pk}/results/",
    }
    for name, path in pages.items():
        desktop.goto(live_server.url + path)
        assert desktop.evaluate("document.documentElement.lang").startswith("en"), name
        # data made by the visit itself (a program's evaluation form on first use) counts too
        assert chinese_left(desktop, data + data_names()) == [], name


@pytest.mark.django_db(transaction=True)
def test_a_trainee_rates_the_class_in_english_on_a_phone(scene, phone, live_server):  # noqa: F811
    trainee = scene.trainees[0]
    sign_in(phone, live_server, trainee.username, PASSWORD)
    switch_to_english(phone)
    phone.goto(f"{live_server.url}/evaluations/sessions/{scene.session.pk}/")
    assert phone.get_by_test_id("form-title").is_visible()
    assert chinese_left(phone, data_names()) == []
