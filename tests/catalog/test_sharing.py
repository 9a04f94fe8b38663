"""Sharing down the tree (资源共建共享) across three levels: city → county → township."""

import pytest

from ganxun.accounts.models import Role
from ganxun.catalog import services
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer, Material, TeachingSite, Theme, TrainingBase
from tests.catalog.factories import (
    make_base,
    make_course,
    make_lecturer,
    make_material,
    make_site,
    make_theme,
)
from tests.factories import make_user

MAKERS = {
    Course: lambda owner, name: make_course(owner, name),
    Lecturer: lambda owner, name: make_lecturer(owner, name),
    TeachingSite: lambda owner, name: make_site(owner, name),
    TrainingBase: lambda owner, name: make_base(owner, name),
    Material: lambda owner, name: make_material(owner, name),
    Theme: lambda owner, name: make_theme(owner, name),
}


def names(model, actor) -> set[str]:
    field = "title" if model in (Course, Material) else "name"
    return set(model.objects.visible_to(actor).values_list(field, flat=True))


@pytest.fixture
def tree(city):
    """One resource per org, named after its owner, and an organizer at each level."""

    def build(model):
        for org in (city.city, city.county_a, city.town_a1, city.town_a2, city.county_b):
            MAKERS[model](org, org.name)
        return {
            "city": make_user(city.city, Role.ORGANIZER),
            "county": make_user(city.county_a, Role.ORGANIZER),
            "town": make_user(city.town_a1, Role.ORGANIZER),
            "other_county": make_user(city.county_b, Role.ORGANIZER),
            "department": make_user(city.dept_city, Role.ORGANIZER),
        }

    return build


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_each_level_sees_what_flows_down_and_what_it_keeps_below(model, tree):
    users = tree(model)
    # a township sees the city's and its county's resources, and its own
    assert names(model, users["town"]) == {"甬江市", "东江县", "东湖镇"}
    # a county sees the city's and everything its townships keep
    assert names(model, users["county"]) == {"甬江市", "东江县", "东湖镇", "南岭乡"}
    # the other county sees the city's and its own, nothing of 东江县
    assert names(model, users["other_county"]) == {"甬江市", "西山区"}
    # a city department sees the city's; the city sees all
    assert names(model, users["department"]) == {"甬江市"}
    assert names(model, users["city"]) == {"甬江市", "东江县", "东湖镇", "南岭乡", "西山区"}


def test_a_township_publishing_upward_shares_with_its_sibling_but_not_the_other_county(city):
    lecturer = make_lecturer(city.town_a2, "南岭乡书记")
    sibling = make_user(city.town_a1, Role.ORGANIZER)
    other = make_user(city.county_b, Role.ORGANIZER)
    owner = make_user(city.town_a2, Role.ORGANIZER)
    assert "南岭乡书记" not in names(Lecturer, sibling)
    # when 南岭乡 recommends its lecturer upward
    services.resource_share(actor=owner, resource=lecturer, shared=True)
    # then 东江县's whole subtree can use it; 西山区 still cannot
    assert "南岭乡书记" in names(Lecturer, sibling)
    assert "南岭乡书记" in names(Lecturer, make_user(city.village_a1, Role.ORGANIZER))
    assert "南岭乡书记" not in names(Lecturer, other)
    # and taking it back hides it again
    services.resource_share(actor=owner, resource=lecturer, shared=False)
    assert "南岭乡书记" not in names(Lecturer, sibling)


def test_resources_from_above_are_read_only_and_those_below_are_editable(city):
    county = make_user(city.county_a, Role.ORGANIZER)
    from_city = make_course(city.city, "城市课程")
    from_town = make_course(city.town_a1, "乡镇课程")
    data = services.CourseData(title="改名", hours="2")
    with pytest.raises(CatalogError) as exc:
        services.course_update(actor=county, course=from_city, data=data)
    assert exc.value.code == "not_owner" and "甬江市" in exc.value.message
    with pytest.raises(CatalogError):
        services.resource_share(actor=county, resource=from_city, shared=True)
    services.course_update(actor=county, course=from_town, data=data)
    from_town.refresh_from_db()
    assert from_town.title == "改名"


def test_the_top_of_the_tree_has_no_one_to_share_with(city):
    course = make_course(city.city)
    with pytest.raises(CatalogError) as exc:
        services.resource_share(
            actor=make_user(city.city, Role.ADMIN), resource=course, shared=True
        )
    assert exc.value.code == "no_parent"


def test_a_course_may_only_use_lecturers_and_themes_the_author_can_see(city):
    town = make_user(city.town_a1, Role.ORGANIZER)
    foreign_lecturer = make_lecturer(city.county_b, "西山讲师")
    foreign_theme = make_theme(city.county_b, "西山专题")
    for data in (
        services.CourseData(title="甲", lecturers=[foreign_lecturer]),
        services.CourseData(title="乙", theme=foreign_theme),
    ):
        with pytest.raises(CatalogError) as exc:
            services.course_create(actor=town, data=data)
        assert exc.value.code == "not_visible"
    assert names(Course, town) == set()
