"""A refused nomination says which rule refused it, in the words the contact reads."""

import pytest

from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.services import nomination_create
from ganxun.orgs.models import Cadre
from tests.enrollment.factories import make_quota

pytestmark = pytest.mark.django_db


def _refusal(setup, quota, cadre) -> EnrollmentError:
    with pytest.raises(EnrollmentError) as exc:
        nomination_create(actor=setup.contact, quota=quota, cadre=cadre)
    return exc.value


def test_each_refusal_names_its_rule(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=1)
    nomination_create(actor=setup.contact, quota=quota, cadre=cadres["inside"])
    again = _refusal(setup, quota, cadres["inside"])
    assert (
        again.code == "already_nominated"
        and "规则：同一干部在一个项目中只报名一次" in again.message
    )
    full = _refusal(setup, quota, cadres["inside_village"])
    assert full.code == "quota_full" and "规则：报名人数不能超过分给本单位的名额" in full.message
    outside = _refusal(setup, quota, cadres["other_town"])
    assert outside.code == "cadre_outside_unit" and "东湖镇" in outside.message
    assert "规则：单位的名额只能由本单位及下属单位的干部占用" in outside.message


def test_a_cadre_who_left_is_refused_naming_the_rule(setup, city, cadres):
    quota = make_quota(setup.program, city.town_a1, seats=5)
    cadre = cadres["inside"]
    Cadre._base_manager.filter(pk=cadre.pk).update(status=Cadre.Status.RETIRED)
    cadre.refresh_from_db()
    refusal = _refusal(setup, quota, cadre)
    assert refusal.code == "cadre_inactive" and "规则：只有在职干部可以报名" in refusal.message
