"""The organizer's and the contact's home counters lead to the list they count (issue 16, 2)."""

import pytest

from ganxun.enrollment.services import nomination_create, quota_save
from ganxun.portal.dashboards import panels_for
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def tile(user, label):
    return next(t for p in panels_for(user) for t in p.tiles if t.label == label)


def test_the_pending_nominations_counter_opens_the_program_where_they_wait(setup, city, client):
    # given a township contact nominated 王晓东 for the county's program
    cadre = CadreFactory(unit=city.town_a1, name="王晓东")
    quota = quota_save(actor=setup.organizer, program=setup.program, org=city.town_a1, seats=2)
    nomination_create(actor=setup.contact, quota=quota, cadre=cadre)
    # when the organizer clicks 待确认报名 on the home page
    counter = tile(setup.organizer, "待确认报名")
    client.force_login(setup.organizer)
    page = client.get(counter.url)
    # then the page is that program's nominations, with 王晓东 waiting to be confirmed
    assert counter.value == 1
    assert page.status_code == 200 and page.resolver_match.url_name == "program_nominations"
    assert "王晓东" in page.content.decode()


def test_the_accounts_counter_lists_only_cadres_without_an_account(setup, city, client):
    # given a township with one cadre who has an account and one who has none
    from tests.factories import make_user

    has = CadreFactory(unit=city.town_a1, name="李有号")
    make_user(city.town_a1, "trainee", username="liyouhao", cadre=has)
    CadreFactory(unit=city.town_a1, name="赵无号")
    # when the contact clicks 未开通学员账号
    counter = tile(setup.contact, "未开通学员账号")
    client.force_login(setup.contact)
    html = client.get(counter.url).content.decode()
    # then the roster lists the one without an account, not the one with
    assert "赵无号" in html and "李有号" not in html
