"""Courses, themes and the faculty pool: what the services accept, refuse and record."""

from decimal import Decimal

import pytest

from ganxun.accounts.models import Role
from ganxun.catalog import selectors, services
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer
from ganxun.catalog.selectors import Filters
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from tests.catalog.factories import (
    make_call,
    make_course,
    make_lecturer,
    make_proposal,
    make_theme,
)
from tests.factories import CadreFactory, make_user


@pytest.fixture
def organizer(city):
    return make_user(city.county_a, Role.ORGANIZER, username="dj_org")


def test_a_course_is_created_with_its_theme_lecturers_and_targets_and_audited(city, organizer):
    red = make_theme(city.city, "理想信念", "#c0392b")
    lecturer = make_lecturer(city.county_a, "李明")
    data = services.CourseData(
        title=" 红色基因传承 ",
        theme=red,
        form="site_visit",
        hours="4",
        target_ranks=["section_main", "general"],
        lecturers=[lecturer],
        status="published",
    )
    course = services.course_create(actor=organizer, data=data)
    assert (course.title, course.owner, course.hours, course.is_interactive) == (
        "红色基因传承",
        city.county_a,
        Decimal("4.0"),
        True,
    )
    assert course.target_rank_labels() == ["乡科级正职", "一般干部"]
    entry = AuditEntry.objects.get(object_type="catalog.course", object_id=str(course.pk))
    assert entry.changes["lecturers"] == [None, ["李明"]]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "  "}, "required", "title"),
        ({"hours": "三"}, "invalid_hours", "hours"),
        ({"hours": "0"}, "invalid_hours", "hours"),
        ({"form": "lecture_hall"}, "invalid_form", "form"),
        ({"target_ranks": ["emperor"]}, "invalid_rank", "target_ranks"),
    ],
)
def test_bad_course_input_is_refused_on_its_field(organizer, overrides, code, field):
    values = {"title": "应急管理", "hours": "3"}
    values.update(overrides)
    with pytest.raises(CatalogError) as exc:
        services.course_create(actor=organizer, data=services.CourseData(**values))
    assert (exc.value.code, exc.value.field) == (code, field)
    with unscoped():
        assert not Course.objects.exists()


def test_the_same_title_twice_in_one_catalogue_is_refused(organizer):
    services.course_create(actor=organizer, data=services.CourseData(title="信访工作"))
    with pytest.raises(CatalogError) as exc:
        services.course_create(actor=organizer, data=services.CourseData(title="信访工作"))
    assert exc.value.code == "duplicate_course"


def test_interactive_share_counts_hours_of_interactive_forms(city, organizer):
    make_course(city.county_a, form="lecture", hours=Decimal("3"))
    make_course(city.county_a, form="case", hours=Decimal("6"))
    make_course(city.county_a, form="seminar", hours=Decimal("3"))
    share = selectors.interactive_share(Course.objects.visible_to(organizer))
    assert (share["percent"], share["hours"]) == (75, Decimal("12"))


def test_course_search_filters_by_text_theme_form_status_and_owner(city, organizer):
    green = make_theme(city.city, "经济建设", "#2e7d32")
    make_course(city.city, "乡村振兴实务", theme=green, form="case")
    make_course(city.county_a, "乡村治理", form="lecture", status="draft")
    make_course(city.county_a, "政务公开")

    def titles(**kw):
        return {c.title for c in selectors.course_search(organizer, Filters(**kw))}

    assert titles(q="乡村") == {"乡村振兴实务", "乡村治理"}
    assert titles(theme=green.pk) == {"乡村振兴实务"}
    assert titles(form="lecture") == {"乡村治理", "政务公开"}
    assert titles(status="draft") == {"乡村治理"}
    assert titles(owner=city.city.pk) == {"乡村振兴实务"}


def test_a_theme_in_use_cannot_be_deleted_and_colours_must_be_hex(city, organizer):
    theme = services.theme_save(actor=organizer, theme=None, name="社会治理", color="#1565C0")
    assert theme.color == "#1565c0"
    make_course(city.county_a, theme=theme)
    with pytest.raises(CatalogError) as exc:
        services.theme_delete(actor=organizer, theme=theme)
    assert exc.value.code == "theme_in_use"
    with pytest.raises(CatalogError) as exc:
        services.theme_save(actor=organizer, theme=theme, name="社会治理", color="blue")
    assert exc.value.code == "invalid_color"


# --- the faculty pool ------------------------------------------------------------------------


def test_a_lecturer_still_teaching_cannot_be_deleted_and_the_commitments_are_listed(
    city, organizer
):
    lecturer = make_lecturer(city.county_a, "王强")
    make_course(city.county_a, "安全生产", lecturers=[lecturer])
    make_course(city.county_a, "旧课程", lecturers=[lecturer], status="retired")
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    make_proposal(make_call(city.county_a), city.town_a1, contact, "应急演练", lecturer=lecturer)
    with pytest.raises(CatalogError) as exc:
        services.lecturer_delete(actor=organizer, lecturer=lecturer)
    assert exc.value.code == "lecturer_has_commitments"
    first, second = exc.value.details["commitments"]
    assert first == "已发布课程《安全生产》" and second.startswith("课程申报《应急演练》")
    assert "旧课程" not in exc.value.message
    with unscoped():
        assert Lecturer.objects.filter(pk=lecturer.pk).exists()


def test_a_lecturer_with_nothing_ahead_is_deleted_and_drops_out_of_old_courses(city, organizer):
    lecturer = make_lecturer(city.county_a, "赵敏")
    old = make_course(city.county_a, "旧课程", lecturers=[lecturer], status="retired")
    services.lecturer_delete(actor=organizer, lecturer=lecturer)
    with unscoped():
        assert not Lecturer.objects.filter(pk=lecturer.pk).exists()
        assert not old.lecturers.exists()
    assert AuditEntry.objects.filter(object_type="catalog.lecturer", action="delete").exists()


def test_deleting_a_lecturer_over_http_shows_the_commitments_not_an_error_page(
    client, city, organizer
):
    lecturer = make_lecturer(city.county_a, "王强")
    make_course(city.county_a, "安全生产", lecturers=[lecturer])
    client.force_login(organizer)
    response = client.post(f"/catalog/lecturers/{lecturer.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "仍承担以下教学任务" in response.content.decode()
    assert "安全生产" in response.content.decode()


def test_a_lecturer_linked_to_a_roster_cadre_shows_the_roster_not_a_copy(client, city, organizer):
    cadre = CadreFactory(unit=city.town_a1, name="陈思", position="党委书记")
    data = services.LecturerData(
        name="陈思", kind="leader", specialties="基层治理, 信访；应急", cadre=cadre
    )
    lecturer = services.lecturer_create(actor=organizer, data=data)
    assert lecturer.specialties == "基层治理、信访、应急"
    with unscoped():
        type(cadre).objects.filter(pk=cadre.pk).update(position="镇长")
    client.force_login(organizer)
    page = client.get(f"/catalog/lecturers/{lecturer.pk}/").content.decode()
    assert "东湖镇" in page and "镇长" in page and "党委书记" not in page


def test_a_cadre_outside_the_roster_scope_cannot_be_linked(city, organizer):
    outsider = CadreFactory(unit=city.town_b1)
    with pytest.raises(CatalogError) as exc:
        services.lecturer_create(
            actor=organizer, data=services.LecturerData(name="某人", cadre=outsider)
        )
    assert exc.value.code == "not_visible"


def test_the_same_person_twice_in_one_pool_is_refused(organizer):
    data = services.LecturerData(name="刘洋", affiliation="县发改局")
    services.lecturer_create(actor=organizer, data=data)
    with pytest.raises(CatalogError) as exc:
        services.lecturer_create(
            actor=organizer, data=services.LecturerData(name="刘 洋", affiliation="县发改局")
        )
    assert exc.value.code == "duplicate_lecturer"
