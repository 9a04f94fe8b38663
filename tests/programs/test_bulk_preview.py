"""Bulk writes preview before they write: "添加符合条件的在职干部" and a recurring series show
how many, by unit, and write only the preview that was confirmed."""

import re

import pytest

from ganxun.core.models import AuditEntry
from ganxun.programs.models import ProgramTrainee, Session
from tests.factories import CadreFactory
from tests.programs.factories import enroll


@pytest.fixture
def organizer_client(client, setup):
    client.force_login(setup.organizer)
    return client


def fingerprint_on(page: str) -> str:
    return re.search(r'name="bulk_fingerprint" value="([0-9a-f]+)"', page).group(1)


def trainees(setup) -> int:
    return ProgramTrainee.objects.visible_to(setup.organizer).filter(program=setup.program).count()


@pytest.mark.django_db
def test_adding_matching_cadres_shows_who_by_unit_and_writes_only_on_confirm(
    organizer_client, setup, city
):
    # given 东江县: its lecturer 张平 at the county, 3 cadres in 东湖镇, 2 in 东湖村, 1 in 南岭乡
    # (already a trainee), 1 retired
    for _ in range(3):
        CadreFactory(unit=city.town_a1)
    for _ in range(2):
        CadreFactory(unit=city.village_a1)
    enroll(setup.program, [CadreFactory(unit=city.town_a2)])
    CadreFactory(unit=city.town_a1, status="retired")
    url = f"/programs/{setup.program.pk}/trainees/"
    # when the organizer asks to add everyone in the county
    page = organizer_client.post(url, {"unit": city.county_a.pk}).content.decode()
    # then a preview says how many and from which units, and nothing is written yet
    assert "添加 6 名学员" in page
    groups = re.findall(r"<tr><td>(\S+)</td><td class=\"text-end\">(\d+)</td></tr>", page)
    assert groups == [("东湖镇", "3"), ("东湖村", "2"), ("东江县", "1")]
    assert "已在项目中的 1 人不重复添加" in page
    assert trainees(setup) == 1
    # when the organizer confirms that preview
    response = organizer_client.post(
        url,
        {"unit": city.county_a.pk, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)},
    )
    # then the six are added and it is audited
    assert response.status_code == 302
    assert trainees(setup) == 7
    entry = AuditEntry.objects.filter(object_type="programs.program").latest("pk")
    assert entry.changes["trainees_added"] == [None, 6]


@pytest.mark.django_db
def test_a_preview_that_went_stale_writes_nothing_and_says_so(organizer_client, setup, city):
    CadreFactory(unit=city.town_a1)
    url = f"/programs/{setup.program.pk}/trainees/"
    page = organizer_client.post(url, {"unit": city.town_a1.pk}).content.decode()
    # given the roster changed after the preview (another cadre now matches)
    CadreFactory(unit=city.town_a1)
    # when the old preview is confirmed
    response = organizer_client.post(
        url,
        {"unit": city.town_a1.pk, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)},
    )
    # then nothing is written, the page explains, and shows the new preview to confirm
    text = response.content.decode()
    assert response.status_code == 200
    assert "名单在预览后发生了变化，未写入" in text
    assert "添加 2 名学员" in text
    assert trainees(setup) == 0


@pytest.mark.django_db
def test_a_series_is_previewed_by_unit_before_it_is_generated(organizer_client, setup):
    url = f"/programs/{setup.program.pk}/sessions/series/"
    form = {
        "freq": "weekly",
        "weekdays": ["5"],
        "interval": "1",
        "nth": "1",
        "start": "2030-03-20",
        "count": "4",
        "start_time": "09:00",
        "end_time": "11:00",
        "title": "每周一课",
        "lecturers": [setup.li.pk],
        "accept_warnings": "on",
    }
    # when the organizer asks for four Saturdays from 20 March
    page = organizer_client.post(url, form).content.decode()
    # then the preview shows 2 in March's unit and 2 in April's, and nothing is written
    assert "生成 4 次课" in page
    groups = re.findall(r"<tr><td>(\S+)</td><td class=\"text-end\">(\d+)</td></tr>", page)
    assert groups == [("第1单元·风险防范", "2"), ("第2单元·基层治理", "2")]
    assert not Session.objects.visible_to(setup.organizer).exists()
    # when confirmed, the four sessions are written
    organizer_client.post(
        url, {**form, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)}
    )
    assert Session.objects.visible_to(setup.organizer).count() == 4
