"""培训对象 as a department means it: a union of groups, each an intersection."""

from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.enrollment import eligibility
from ganxun.enrollment.models import EligibilityGroup
from ganxun.orgs.models import CadreCategory
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory, make_user
from tests.programs.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def young(db):
    return CadreCategory.objects.create(code="young", name="年轻干部", sort=1)


@pytest.fixture
def reserve(db):
    return CadreCategory.objects.create(code="reserve", name="后备干部", sort=2)


@pytest.fixture
def city_program(city, young):
    organizer = make_user(city.city, Role.ORGANIZER, username="shiwei")
    return make_program(
        city.city,
        organizer=organizer,
        name="乡镇干部轮训",
        start=date(2030, 3, 1),
        end=date(2030, 4, 30),
        target_groups="东江县、西山区乡科级领导干部和年轻干部",
    )


def _cadre(unit, name, rank, *cats, born=date(1980, 5, 1)):
    c = CadreFactory(unit=unit, name=name, rank=rank, birth_date=born)
    c.categories.set(cats)
    return c


def test_and_between_groups_invites_either_group_and_warns_only_who_fits_neither(
    city, city_program, young, login
):
    # given a program for "东江县、西山区乡科级领导干部和年轻干部" and four cadres of 东湖镇
    _cadre(city.town_a1, "周科长", "section_main")  # 乡科级, not young: invited
    _cadre(city.town_a1, "吴小青", "general", young, born=date(1997, 2, 1))  # young: invited
    _cadre(city.town_a1, "郑副镇长", "section_deputy", young)  # both: invited
    _cadre(city.town_a1, "王科员", "general")  # neither: the one real mismatch
    quota = make_quota(city_program, city.town_a1, seats=4)
    contact = make_user(city.town_a1, Role.UNIT_CONTACT, username="lianluo")
    # when the contact opens the quota page to nominate
    page = login(contact).get(f"/enrollment/quotas/{quota.pk}/").content.decode()
    # then only 王科员 carries a ⚠, saying why
    assert page.count('data-testid="fit-warning"') == 1
    row = page[page.index("王科员") :]
    assert row.index("fit-warning") < row.index("</tr>")


def test_units_named_up_front_qualify_every_group(city, young):
    units = [(city.county_a.pk, "东江县"), (city.county_b.pk, "西山区"), (9999, "和平镇")]
    cats = [(young.pk, "年轻干部")]
    groups = eligibility.parse_groups("东江县、西山区乡科级领导干部和年轻干部", units, cats)
    assert [(g.unit_ids, g.ranks, g.category_ids) for g in groups] == [
        ({city.county_a.pk, city.county_b.pk}, {"section_main", "section_deputy"}, set()),
        ({city.county_a.pk, city.county_b.pk}, set(), {young.pk}),
    ]
    # a unit whose name holds 和 stays one unit; ages are read
    (g,) = eligibility.parse_groups("和平镇35岁以下年轻干部", units, cats)
    assert (g.unit_ids, g.max_age, g.category_ids) == ({9999}, 35, {young.pk})
    # "年轻干部、后备干部" is one group (either category); unknown words invite everyone
    assert eligibility.parse_groups("全市干部自主选学", units, cats) == []


def test_age_and_unit_criteria_warn_only_on_a_real_mismatch(city, young):
    program = make_program(city.county_a, target_groups="")
    group = EligibilityGroup.objects.create(program=program, ranks=[], max_age=35)
    with unscoped():
        group.units.set([city.town_a1])
    from ganxun.enrollment.selectors import annotate_eligibility

    inside = _cadre(city.village_a1, "村里青年", "general", born=date(2000, 1, 1))
    older = _cadre(city.town_a1, "老同志", "general", born=date(1970, 1, 1))
    other = _cadre(city.town_a2, "南岭青年", "general", born=date(2000, 1, 1))
    annotate_eligibility([inside, older, other], program)
    assert inside.fit_warnings == []
    assert older.fit_warnings == ["年龄60岁，超过35岁"]
    assert other.fit_warnings == ["单位不在培训对象范围内"]


def test_data_migration_turns_existing_text_into_groups(city, young, reserve):
    from importlib import import_module

    from django.apps import apps as global_apps

    program = make_program(city.county_a, target_groups="东湖镇乡科级及以下干部和后备干部")
    migration = import_module("ganxun.enrollment.migrations.0004_eligibility_groups_from_text")
    migration.forwards(global_apps, None)
    rows = list(EligibilityGroup._base_manager.filter(program=program).order_by("seq"))
    assert [sorted(r.ranks) for r in rows] == [
        ["general", "section_deputy", "section_main"],
        [],
    ]
    with unscoped():
        assert [[u.name for u in r.units.all()] for r in rows] == [["东湖镇"], ["东湖镇"]]
    assert [c.name for c in rows[1].categories.all()] == ["后备干部"]


def _group_post(**fields) -> dict:
    data = {"g-TOTAL_FORMS": "1", "g-INITIAL_FORMS": "0", "g-MIN_NUM_FORMS": "0"}
    data["g-MAX_NUM_FORMS"] = "10"
    data.update({f"g-0-{k}": v for k, v in fields.items()})
    return data


def test_organizer_edits_groups_bad_ages_are_refused_beside_the_field(setup, city, young, client):
    # given the organizer on the 培训对象 page of a program read from "乡科级及以下干部"
    program = setup.program
    client.force_login(setup.organizer)
    url = f"/enrollment/programs/{program.pk}/eligibility/"
    page = client.get(url).content.decode()
    assert "当前培训对象：<strong>乡科级、一般干部</strong>" in page
    # when they save a group of 东湖镇's young cadres aged 40 to 35
    bad = _group_post(units=[str(city.town_a1.pk)], categories=[str(young.pk)])
    bad.update({"g-0-min_age": "40", "g-0-max_age": "35"})
    response = client.post(url, bad)
    # then the page says why beside the age, and nothing is written
    assert response.status_code == 200
    assert "第 1 组：最低年龄不能大于最高年龄。" in response.content.decode()
    assert not EligibilityGroup._base_manager.filter(program=program).exists()
    program.refresh_from_db()
    assert program.target_groups == "乡科级及以下干部"
    # when they fix it
    bad["g-0-min_age"] = ""
    assert client.post(url, bad).status_code == 302
    # then the group is stored, the text regenerated from it, and the change audited
    program.refresh_from_db()
    assert program.target_groups == "东湖镇 35岁以下 年轻干部"
    assert EligibilityGroup._base_manager.filter(program=program, max_age=35).count() == 1
    assert AuditEntry.objects.filter(changes__has_key="target_groups").exists()
    # and when the program form later rewrites the text, the text is what applies
    from ganxun.enrollment.selectors import program_target

    program.target_groups = "县处级干部"
    program.save(update_fields=["target_groups"])
    target = program_target(program)
    assert not target.stored and [g.ranks for g in target.groups] == [
        {"county_main", "county_deputy"}
    ]
