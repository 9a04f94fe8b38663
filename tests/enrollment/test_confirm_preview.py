"""Confirming many nominations at once previews first (issue 15 item 14): how many, by unit, who
fits no invited group; nothing is written until the organizer confirms that same preview."""

import re

import pytest

from ganxun.core.models import Notice
from ganxun.core.scoping import unscoped
from ganxun.enrollment.models import Nomination
from ganxun.programs.models import ProgramTrainee
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def fingerprint_on(page: str) -> str:
    return re.search(r'name="bulk_fingerprint" value="([0-9a-f]+)"', page).group(1)


@pytest.fixture
def nominees(setup, city):
    """Three pending nominees: two of 东湖镇 (one a county-level leader, outside the invited
    乡科级及以下), one of its village."""
    quota = make_quota(setup.program, city.town_a1, seats=5)
    people = [
        CadreFactory(unit=city.town_a1, name="张一", rank="section_main"),
        CadreFactory(unit=city.town_a1, name="张二", rank="county_main"),
        CadreFactory(unit=city.village_a1, name="李三", rank="section_deputy"),
    ]
    return [
        Nomination.objects.create(
            quota=quota, program=setup.program, cadre=c, nominated_by=setup.contact
        )
        for c in people
    ]


def written(setup) -> tuple[int, int, int]:
    with unscoped():
        return (
            Nomination.objects.filter(status="confirmed").count(),
            ProgramTrainee.objects.filter(program=setup.program).count(),
            Notice.objects.filter(kind="enrollment_confirmed").count(),
        )


def test_bulk_confirm_previews_by_unit_and_writes_only_on_confirm(client, setup, nominees):
    client.force_login(setup.organizer)
    url = f"/enrollment/programs/{setup.program.pk}/nominations/?status=pending"
    chosen = {"nomination": [n.pk for n in nominees]}
    # when the organizer ticks the three and presses 确认选中的报名
    page = client.post(url, chosen).content.decode()
    # then the page shows what would be written, and nothing is written yet
    assert 'data-testid="bulk-preview"' in page
    assert "录取 3 人" in page
    groups = re.search(r'data-testid="bulk-groups".*?</table>', page, re.S).group(0)
    assert re.search(r"东湖镇</td><td[^>]*>2<", groups)
    assert "1</td>" in groups and "村" in groups
    assert "1 人不符合调训对象条件（张二）" in page
    assert written(setup) == (0, 0, 0)
    # when they confirm that preview
    client.post(url, {**chosen, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)})
    # then the three are trainees, notified once each
    assert written(setup) == (3, 3, 3)


def test_a_preview_gone_stale_is_refused_and_shown_again(client, setup, nominees):
    client.force_login(setup.organizer)
    url = f"/enrollment/programs/{setup.program.pk}/nominations/?status=pending"
    chosen = {"nomination": [n.pk for n in nominees]}
    page = client.post(url, chosen).content.decode()
    # given the contact withdraws one nominee after the organizer saw the preview
    with unscoped():
        Nomination.objects.filter(pk=nominees[2].pk).update(status="withdrawn")
    # when the organizer confirms the old preview
    response = client.post(
        url, {**chosen, "bulk_confirm": "1", "bulk_fingerprint": fingerprint_on(page)}
    )
    # then nothing is written, the page says why and previews what is left
    again = response.content.decode()
    assert written(setup) == (0, 0, 0)
    assert "名单在预览后发生了变化" in again and "录取 2 人" in again
