"""The switches' pages: an organizer's subtree settings, a program's 提醒 tab; audited; closed
to those who may not."""

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.reminders.models import ReminderSetting
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_organizer_switches_a_kind_off_for_the_county_and_back(client, city):
    organizer = make_user(city.county_a, Role.ORGANIZER)
    client.force_login(organizer)
    page = client.get("/reminders/settings/").content.decode()
    assert 'data-testid="line-hours_short"' in page and "默认设置" in page
    assert 'href="/reminders/settings/"' in page  # in the navigation
    # when the organizer switches 明日上课提醒 off and sets 17:00
    response = client.post(
        f"/reminders/settings/?org={city.county_a.pk}", {"kind": "class_tomorrow", "value": "17"}
    )
    assert response.status_code == 302
    with unscoped():
        row = ReminderSetting.objects.get(org=city.county_a, kind="class_tomorrow")
    assert (row.enabled, row.value) == (False, 17)
    assert AuditEntry.objects.filter(object_type="reminders.remindersetting").exists()
    # then a town below inherits it, named
    page = client.get(f"/reminders/settings/?org={city.town_a1.pk}").content.decode()
    assert "继承自 东江县" in page
    # and resetting drops the county's row
    client.post(
        f"/reminders/settings/?org={city.county_a.pk}", {"kind": "class_tomorrow", "reset": "1"}
    )
    with unscoped():
        assert not ReminderSetting.objects.exists()


def test_bad_timing_and_dates_are_refused_with_a_message(client, city):
    organizer = make_user(city.county_a, Role.ORGANIZER)
    client.force_login(organizer)
    url = f"/reminders/settings/?org={city.county_a.pk}"
    response = client.post(
        url, {"kind": "class_tomorrow", "enabled": "on", "value": "25"}, follow=True
    )
    assert "时间应在 0 到 23 之间" in response.content.decode()
    response = client.post(
        url, {"kind": "hours_short", "enabled": "on", "dates": "13-01"}, follow=True
    )
    assert "月-日" in response.content.decode()
    with unscoped():
        assert not ReminderSetting.objects.exists()


def test_settings_closed_to_other_trees_and_roles(client, city):
    west = make_user(city.county_b, Role.ORGANIZER)
    client.force_login(west)
    assert client.get(f"/reminders/settings/?org={city.county_a.pk}").status_code == 404
    assert (
        client.post(
            f"/reminders/settings/?org={city.county_a.pk}", {"kind": "class_soon"}
        ).status_code
        == 404
    )
    client.force_login(make_user(city.town_a1, Role.TRAINEE))
    assert client.get("/reminders/settings/").status_code == 403


def test_program_tab_overrides_the_org(client, scene, city):
    client.force_login(scene.organizer)
    page = client.get(f"/programs/{scene.program.pk}/").content.decode()
    assert f'href="/reminders/programs/{scene.program.pk}/"' in page  # the 提醒 tab
    page = client.get(f"/reminders/programs/{scene.program.pk}/").content.decode()
    assert 'data-testid="line-class_soon"' in page and "hours_short" not in page
    client.post(
        f"/reminders/programs/{scene.program.pk}/",
        {"kind": "class_soon", "value": "30", "enabled": "on"},
    )
    with unscoped():
        row = ReminderSetting.objects.get(program=scene.program, kind="class_soon")
    assert (row.enabled, row.value) == (True, 30)
    page = client.get(f"/reminders/programs/{scene.program.pk}/").content.decode()
    assert "本项目设置" in page
    # another county's organizer cannot see the tab's page
    client.force_login(make_user(city.county_b, Role.ORGANIZER))
    assert client.get(f"/reminders/programs/{scene.program.pk}/").status_code == 404
