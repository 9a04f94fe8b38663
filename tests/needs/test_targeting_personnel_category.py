"""A needs survey can be aimed at a 人员类别 (公务员, 参公, 事业 …), beside subtree, rank, tags and
age band: on the targeting page and in the criteria kept on the survey."""

from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.models import Respondent
from ganxun.needs.targeting import Targeting
from ganxun.orgs.models import PersonnelCategory
from tests.needs.conftest import person


def _names(survey):
    with unscoped():
        return set(Respondent.objects.filter(survey=survey).values_list("name", flat=True))


def _with_category(cadre, name):
    cadre.personnel_category = PersonnelCategory.objects.get(name=name)
    cadre.save(update_fields=["personnel_category"])


def test_personnel_category_narrows_with_the_other_criteria(admin, city, survey):
    # given a 公务员, a 事业单位人员 and a 参公 of the same rank, and a 公务员 of another rank
    for name, category, rank in [
        ("甲", "公务员", "section_main"),
        ("乙", "事业单位人员", "section_main"),
        ("丙", "参照公务员法管理人员", "section_main"),
        ("丁", "公务员", "general"),
    ]:
        _with_category(person(city.town_a1, name=name, rank=rank), category)
    wanted = PersonnelCategory.objects.filter(name__in=["公务员", "参照公务员法管理人员"])
    # when 公务员 and 参公 of 乡科级正职 are invited
    criteria = Targeting(ranks=["section_main"], personnel_category_ids=[c.pk for c in wanted])
    services.respondents_add(actor=admin, survey=survey, criteria=criteria)
    # then the two of those categories at that rank are, and the record names the categories
    assert _names(survey) == {"甲", "丙"}
    survey.refresh_from_db()
    assert set(survey.targeting[-1]["criteria"]["personnel_categories"]) == {
        "公务员",
        "参照公务员法管理人员",
    }


def test_the_targeting_page_offers_personnel_categories(client, admin, city, survey):
    _with_category(person(city.town_a1, name="甲"), "公务员")
    _with_category(person(city.town_a1, name="乙"), "事业单位人员")
    client.force_login(admin)
    page = client.get(f"/needs/{survey.pk}/targeting/").content.decode()
    assert 'name="personnel_categories"' in page and "事业单位人员" in page
    public = PersonnelCategory.objects.get(name="事业单位人员").pk
    preview = client.get(
        f"/needs/{survey.pk}/targeting/",
        {"personnel_categories": [public]},
        HTTP_HX_REQUEST="true",
    )
    assert "<strong>1</strong>" in preview.content.decode()
    client.post(f"/needs/{survey.pk}/targeting/", {"personnel_categories": [public]})
    assert _names(survey) == {"乙"}
