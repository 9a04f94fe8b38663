"""Building courses: uploads probed by ffprobe, lessons from the library, serving, pages, scope."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganxun.accounts.models import Role
from ganxun.catalog.models import Material
from ganxun.core.scoping import acting_as, unscoped
from ganxun.learning import services
from ganxun.learning.errors import LearningError
from ganxun.learning.models import Lesson
from tests.catalog.factories import make_material
from tests.factories import make_user
from tests.learning.factories import enrolled, make_course, make_learner, video_bytes, video_upload


@pytest.fixture
def organizer(city):
    return make_user(city.city, Role.ORGANIZER, username="org_city")


@pytest.fixture
def course(organizer):
    with acting_as(organizer):
        return services.course_create(actor=organizer, data=services.CourseData(title="数字化改革"))


def upload(organizer, course, file):
    with acting_as(organizer):
        return services.lesson_upload(actor=organizer, course=course, upload=file, title="第一讲")


@pytest.mark.django_db
def test_an_uploaded_video_is_probed_and_joins_the_library(organizer, course):
    lesson = upload(organizer, course, video_upload(4))
    assert (lesson.duration_seconds, lesson.video_codec) == (4, "vp8")
    with unscoped():
        material = Material.objects.get(pk=lesson.material_id)
    assert (
        material.kind == "video"
        and material.duration_seconds == 4
        and material.owner == organizer.org
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "code"),
    [
        ("broken.mp4", lambda: b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000, "unreadable_video"),
        ("cut.webm", lambda: video_bytes(4)[:300], "unreadable_video"),
        ("slides.pdf", lambda: b"%PDF-1.4\n" + b"x" * 100, "not_a_video"),
        ("empty.mp4", lambda: b"", "empty_file"),
    ],
    ids=["broken-mp4", "cut-webm", "pdf", "empty"],  # made in the test: ids the same everywhere
)
def test_corrupt_and_non_video_uploads_are_refused_and_nothing_kept(
    organizer, course, name, make, code, media_root
):
    with pytest.raises(LearningError) as refused:
        upload(organizer, course, SimpleUploadedFile(name, make()))
    assert refused.value.code == code
    with unscoped():
        assert not Lesson.objects.exists() and not Material.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True


@pytest.mark.django_db
def test_a_lesson_from_the_library_is_probed_again(organizer, course):
    with acting_as(organizer):
        material = services.lesson_upload(
            actor=organizer, course=course, upload=video_upload(4), title="原视频"
        ).material
        lesson = services.lesson_add(
            actor=organizer, course=course, material=material, credit_hours="0.5"
        )
    assert (
        lesson.position == 2
        and lesson.duration_seconds == 4
        and lesson.credit_hours == Decimal("0.5")
    )
    with acting_as(organizer), pytest.raises(LearningError) as refused:
        book = make_material(organizer.org, kind=Material.Kind.BOOK)
        services.lesson_add(actor=organizer, course=course, material=book)
    assert refused.value.code == "not_a_video"


@pytest.mark.django_db
def test_a_course_kept_above_is_read_only_below(city, organizer, course):
    county = make_user(city.county_b, Role.ORGANIZER)
    with acting_as(county), pytest.raises(LearningError) as refused:
        services.course_update(actor=county, course=course, data=services.CourseData(title="改名"))
    assert refused.value.code == "not_owner"


@pytest.mark.django_db
def test_a_course_without_lessons_cannot_be_published(organizer, course):
    with acting_as(organizer), pytest.raises(LearningError) as refused:
        services.course_update(
            actor=organizer,
            course=course,
            data=services.CourseData(title="数字化改革", status="published"),
        )
    assert refused.value.code == "no_lessons"


@pytest.mark.django_db
def test_the_video_is_served_with_ranges_or_by_nginx(city, organizer, client, settings):
    course, lesson = make_course(organizer, seconds=4)
    learner = make_learner(city.town_a1)
    enrolled(learner, course)
    client.force_login(learner)
    partial = client.get(f"/learning/lessons/{lesson.pk}/video", HTTP_RANGE="bytes=0-99")
    assert partial.status_code == 206 and partial["Content-Range"].startswith("bytes 0-99/")
    assert partial["Content-Type"] == "video/webm"
    settings.MEDIA_ACCEL_PREFIX = "/protected-media/"
    accel = client.get(f"/learning/lessons/{lesson.pk}/video")
    assert accel["X-Accel-Redirect"].startswith("/protected-media/catalog/materials/")
    assert accel.content == b""


@pytest.mark.django_db
def test_pages_for_learner_and_organizer(city, organizer, client):
    course, lesson = make_course(organizer, seconds=4)
    learner = make_learner(city.town_a1)
    client.force_login(learner)
    assert course.title in client.get("/learning/").content.decode()
    page = client.get(f"/learning/courses/{course.pk}/").content.decode()
    assert "选学本课程" in page
    # not yet enrolled: the player sends them back to enrol
    assert client.get(f"/learning/lessons/{lesson.pk}/").status_code == 302
    client.post(f"/learning/courses/{course.pk}/enroll/")
    assert 'id="gx-player"' in client.get(f"/learning/lessons/{lesson.pk}/").content.decode()
    assert client.get("/learning/hours/").status_code == 200
    # a learner cannot build courses
    assert client.get("/learning/new/").status_code == 403
    client.force_login(organizer)
    assert client.get(f"/learning/courses/{course.pk}/lessons/new/").status_code == 200
    bad = client.post(
        f"/learning/courses/{course.pk}/lessons/upload/",
        {
            "up-title": "坏视频",
            "up-file": SimpleUploadedFile("x.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64),
        },
    )
    assert bad.status_code == 200 and "无法读取该视频" in bad.content.decode()


@pytest.mark.django_db
def test_a_draft_of_another_county_is_not_found(city, client):
    other = make_user(city.county_b, Role.ORGANIZER)
    with acting_as(other):
        draft = services.course_create(actor=other, data=services.CourseData(title="西山区草稿"))
    client.force_login(make_user(city.county_a, Role.ORGANIZER))
    assert client.get(f"/learning/courses/{draft.pk}/").status_code == 404
    assert client.get(f"/learning/courses/{draft.pk}/edit/").status_code == 404


@pytest.mark.django_db
def test_organizers_see_progress_by_unit_in_bounded_queries(
    city, organizer, client, django_assert_max_num_queries
):
    course, _lesson = make_course(organizer, seconds=4)
    for i in range(3):
        enrolled(make_learner(city.town_a1, name=f"东湖{i}"), course)
    enrolled(make_learner(city.town_b1, name="北桥"), course)
    client.force_login(organizer)
    with django_assert_max_num_queries(20):
        page = client.get(f"/learning/courses/{course.pk}/").content.decode()
    assert "各单位学习进度" in page and "东湖镇" in page and "北桥街道" in page
    # a county organizer sees only their own county's units
    client.force_login(make_user(city.county_b, Role.ORGANIZER))
    page = client.get(f"/learning/courses/{course.pk}/").content.decode()
    assert "北桥街道" in page and "东湖镇" not in page
