"""The site has an icon: pages link it and /favicon.ico (which browsers ask for) leads to it."""

from pathlib import Path

import pytest

import ganxun

pytestmark = pytest.mark.django_db


def test_the_icon_is_linked_and_served(client, admin):
    client.force_login(admin)
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/ganxun/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/ganxun/favicon.svg"
    icon = Path(ganxun.__file__).parent / "static" / "ganxun" / "favicon.svg"
    assert icon.read_text().startswith("<svg")
