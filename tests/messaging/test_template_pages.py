"""The pages: template editor (administrators and organizers, for their org) with its live
preview and SMS count; the channel policy (administrators); a person's 通知方式."""

import sys
import types

import pytest

from ganxun.accounts.models import Role
from ganxun.messaging.models import ChannelPreference, OrgChannelPolicy, TemplateOverride
from tests.factories import CadreFactory, make_user

EDIT = "/notices/templates/enrollment_confirmed/"


@pytest.fixture
def configured(monkeypatch):
    module = types.ModuleType("ganxun.messaging.channels.registry")
    module.configured_channels = lambda: {"sms": object(), "email": object()}
    monkeypatch.setitem(sys.modules, "ganxun.messaging.channels.registry", module)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMIN, 200),
        (Role.ORGANIZER, 200),
        (Role.UNIT_CONTACT, 403),
        (Role.TRAINEE, 403),
        (Role.LECTURER, 403),
    ],
)
def test_who_may_open_the_template_editor(city, client, role, status):
    client.force_login(make_user(city.county_a, role))
    assert client.get("/notices/templates/").status_code == status
    assert client.get(EDIT).status_code == status
    assert client.get(EDIT + "preview/?title=x").status_code == status


def test_the_list_shows_every_kind_and_an_unknown_kind_is_not_found(city, client):
    client.force_login(make_user(city.city, Role.ADMIN))
    page = client.get("/notices/templates/").content.decode()
    assert "调训通知" in page and "课堂评价邀请" in page and "名额分配通知" in page
    assert client.get("/notices/templates/no_such_kind/").status_code == 404


def test_an_administrator_edits_previews_and_resets_a_template(city, client):
    admin = make_user(city.county_a, Role.ADMIN)
    client.force_login(admin)
    # the page shows the default, the variables (no ID number among them) and the preview
    page = client.get(EDIT).content.decode()
    assert "{program}" in page and "{schedule}" in page and "{id_number}" not in page
    assert 'data-testid="sms-count"' in page
    # the live preview fills sample values and counts the SMS
    preview = client.get(
        EDIT + "preview/", {"title": "通知：{program}", "body": "", "sms": "请参加{program}"}
    ).content.decode()
    assert "通知：2026年春季中青年干部培训班" in preview
    assert "共 24 字" in preview and "分 1 条" in preview
    # an unknown variable is named, in the preview and on save (nothing saved)
    preview = client.get(EDIT + "preview/", {"title": "{teacher}"}).content.decode()
    assert "未知变量 {teacher}" in preview
    response = client.post(EDIT, {"title": "{teacher}", "body": "", "sms": ""})
    assert response.status_code == 200 and "未知变量 {teacher}" in response.content.decode()
    # over length: the count and the segments, refused
    response = client.post(EDIT, {"title": "t", "body": "", "sms": "很长" * 40})
    assert "超过上限 70 字" in response.content.decode()
    assert not TemplateOverride._base_manager.exists()
    # a good one is saved for the administrator's org
    response = client.post(
        EDIT, {"title": "县调训通知：{program}", "body": "{schedule}", "sms": ""}
    )
    assert response.status_code == 302
    saved = TemplateOverride._base_manager.get()
    assert saved.org == city.county_a and saved.updated_by == admin
    assert "本单位已修改" in client.get("/notices/templates/").content.decode()
    # reset
    assert client.post(EDIT + "reset/").status_code == 302
    assert not TemplateOverride._base_manager.exists()


def test_a_fixed_kind_is_shown_but_not_saved(city, client):
    client.force_login(make_user(city.city, Role.ADMIN))
    page = client.get("/notices/templates/evaluation/").content.decode()
    assert "不能修改" in page
    client.post("/notices/templates/evaluation/", {"title": "x"})
    assert not TemplateOverride._base_manager.exists()


def test_the_channel_policy_page_is_for_administrators_of_the_subtree(city, client, configured):
    client.force_login(make_user(city.city, Role.ORGANIZER))
    assert client.get("/notices/channels/").status_code == 403
    county_admin = make_user(city.county_a, Role.ADMIN)
    client.force_login(county_admin)
    # an org outside the subtree: not found
    assert client.get(f"/notices/channels/?org={city.county_b.pk}").status_code == 404
    page = client.get(f"/notices/channels/?org={city.town_a1.pk}").content.decode()
    assert "东湖镇" in page and "短信" in page
    response = client.post(
        "/notices/channels/",
        {"org_id": city.town_a1.pk, "mode": "own", "channels": ["sms"]},
    )
    assert response.status_code == 302
    assert OrgChannelPolicy._base_manager.get().channels == ["sms"]
    # back to inheriting
    client.post("/notices/channels/", {"org_id": city.town_a1.pk, "mode": "inherit"})
    assert not OrgChannelPolicy._base_manager.exists()


def test_a_trainee_sets_their_channels_from_the_account_menu(city, client, configured):
    cadre = CadreFactory(unit=city.town_a1, phone="13800001111")
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadre)
    client.force_login(trainee)
    home = client.get("/").content.decode()
    assert 'href="/notices/mine/"' in home
    page = client.get("/notices/mine/").content.decode()
    assert "通知方式" in page and "138****1111" in page and "13800001111" not in page
    assert "未登记" in page  # no e-mail
    assert client.post("/notices/mine/", {"channels": ["sms"]}).status_code == 302
    assert ChannelPreference._base_manager.get(user=trainee, kind="").channels == ["sms"]
    # one kind on its own, then following the general choice again
    client.post("/notices/mine/", {"kind": "enrollment_confirmed", "channels": ["email"]})
    assert ChannelPreference._base_manager.get(kind="enrollment_confirmed").channels == ["email"]
    client.post("/notices/mine/", {"kind": "enrollment_confirmed", "follow": "1"})
    assert not ChannelPreference._base_manager.filter(kind="enrollment_confirmed").exists()


def test_with_no_channel_configured_the_page_says_in_app_only(city, client):
    client.force_login(make_user(city.town_a1, Role.TRAINEE))
    page = client.get("/notices/mine/").content.decode()
    assert 'data-testid="inapp-only"' in page


def test_a_county_sees_the_citys_wording_as_inherited_in_bounded_queries(
    city, client, django_assert_max_num_queries
):
    TemplateOverride._base_manager.create(
        org=city.city, kind="enrollment_confirmed", title="市调训通知：{program}"
    )
    client.force_login(make_user(city.county_a, Role.ADMIN))
    with django_assert_max_num_queries(12):
        page = client.get("/notices/templates/").content.decode()
    assert "沿用上级的修改" in page
    page = client.get(EDIT).content.decode()
    assert "正在沿用甬江市修改的文字" in page and "市调训通知：" in page
