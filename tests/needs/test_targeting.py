"""Choosing respondents by subtree, rank, category, age band and leader role."""

from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.errors import NeedsError
from ganxun.needs.models import Respondent
from ganxun.needs.targeting import Targeting, age_band
from ganxun.orgs.models import Cadre
from tests.factories import make_org, make_user
from tests.needs.conftest import person

TODAY = date(2025, 3, 14)


def names(survey):
    with unscoped():
        return set(Respondent.objects.filter(survey=survey).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(1989, 3, 15), "35-"),  # 35 until tomorrow
        (date(1989, 3, 14), "36-45"),  # 36 today
        (date(1979, 3, 15), "36-45"),
        (date(1979, 3, 14), "46-55"),
        (date(1969, 3, 14), "56+"),
    ],
)
def test_age_bands_turn_on_the_birthday(born, band):
    assert age_band(born, TODAY) == band


def test_criteria_of_one_kind_widen_and_of_different_kinds_narrow(admin, city, survey, young):
    # given cadres that differ in one attribute each
    person(city.town_a1, name="甲", rank="section_main", categories=[young])
    person(city.town_a1, name="乙", rank="section_deputy", categories=[young])
    person(city.town_a1, name="丙", rank="general", categories=[young])
    person(city.town_a1, name="丁", rank="section_main")
    person(city.town_b1, name="戊", rank="section_main", categories=[young])
    # when the administrator invites young cadres of two ranks in 东江县
    criteria = Targeting(
        units=[city.county_a], ranks=["section_main", "section_deputy"], category_ids=[young.pk]
    )
    result = services.respondents_add(actor=admin, survey=survey, criteria=criteria)
    # then only those matching all kinds (and either rank) are invited
    assert names(survey) == {"甲", "乙"}
    assert result == {"added": 2, "already": 0}


def test_age_band_and_leader_role_filters(admin, city, survey):
    this_year = date.today().year
    person(city.town_a1, name="青", born=date(this_year - 30, 1, 1))
    person(city.town_a1, name="中", born=date(this_year - 40, 1, 1), leader_role="secretary")
    person(city.town_a1, name="长", born=date(this_year - 50, 1, 1), leader_role="deputy")
    services.respondents_add(
        actor=admin,
        survey=survey,
        criteria=Targeting(age_bands=["35-", "46-55"], leader_roles=["", "deputy"]),
    )
    assert names(survey) == {"青", "长"}


def test_inviting_again_adds_only_new_people_and_keeps_the_record(admin, city, survey):
    person(city.town_a1, name="甲")
    services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    person(city.town_a2, name="乙")
    second = services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    assert second == {"added": 1, "already": 1}
    assert names(survey) == {"甲", "乙"}
    assert [t["added"] for t in survey.targeting] == [1, 1]


def test_groups_are_frozen_at_invitation(admin, city, survey, young):
    # given a department under a county and a young cadre in it
    dept = make_org(city.county_a, name="县发改局", level="department")
    cadre = person(
        dept,
        name="甲",
        rank="section_deputy",
        leader_role="head",
        categories=[young],
        born=date(1995, 1, 1),
    )
    services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    # when the cadre is promoted afterwards
    with unscoped():
        Cadre.objects.filter(pk=cadre.pk).update(rank="section_main")
        r = Respondent.objects.prefetch_related("categories").get(survey=survey)
    # then the respondent keeps the groups of the day of the invitation
    assert (r.rank, r.leader_role, r.age_band, r.unit_level) == (
        "section_deputy",
        "head",
        "35-",
        "county",
    )
    assert [c.name for c in r.categories.all()] == ["年轻干部"]
    assert r.token_hash and r.token_nonce and r.token_hash != r.token_nonce


def test_inactive_and_out_of_subtree_cadres_are_not_invited(admin, city, survey):
    person(city.town_a1, name="在职")
    gone = person(city.town_a1, name="调出")
    with unscoped():
        Cadre.objects.filter(pk=gone.pk).update(status="transferred")
    county_admin = make_user(city.county_b, Role.ADMIN)
    county_survey = services.needs_survey_create(
        actor=county_admin, org=city.county_b, template="needs_default"
    )
    services.respondents_add(
        actor=county_admin, survey=county_survey, criteria=Targeting(units=[city.town_a1])
    )
    assert names(county_survey) == set()  # 东湖镇 is outside 西山区
    services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    assert names(survey) == {"在职"}


def test_closed_survey_and_foreign_managers_are_refused(admin, city, survey, questions):
    outsider = make_user(city.county_b, Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.respondents_add(actor=outsider, survey=survey, criteria=Targeting())
    services.needs_survey_open(actor=admin, survey=survey, closes_at=None)
    services.needs_survey_close(actor=admin, survey=survey)
    with pytest.raises(NeedsError) as refused:
        services.respondents_add(actor=admin, survey=survey, criteria=Targeting())
    assert refused.value.code == "survey_closed"


def test_targeting_page_previews_then_adds(client, admin, city, survey):
    person(city.town_a1, rank="general")
    person(city.town_a1, rank="section_main")
    client.force_login(admin)
    preview = client.get(
        f"/needs/{survey.pk}/targeting/", {"ranks": ["general"]}, HTTP_HX_REQUEST="true"
    )
    assert "<strong>1</strong>" in preview.content.decode()
    response = client.post(f"/needs/{survey.pk}/targeting/", {"ranks": ["general", "section_main"]})
    assert response.status_code == 302
    assert len(names(survey)) == 2
