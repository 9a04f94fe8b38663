"""One outline per course and lecturer per program: batch 1 and batch 2 of the same class are
submitted and reviewed once; a new version keeps the last file unless replaced; overdue shows."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.programs import selectors, services
from ganxun.programs.models import Outline, OutlineStatus, Session
from ganxun.programs.services import SessionData
from tests.catalog.factories import make_course
from tests.factories import make_user
from tests.programs.factories import make_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def soon(days: float):
    return timezone.now() + timedelta(days=days)


def status(session) -> str:
    return Session._base_manager.get(pk=session.pk).outline_status


@pytest.fixture
def lecturer_user(setup, city):
    return make_user(city.county_a, Role.LECTURER, cadre=setup.zhang.cadre)


@pytest.fixture
def two_batches(setup, city):
    """风险研判与应急处置, taught by 张平 to batch 1 in 10 days and to batch 2 in 17 days."""
    course = make_course(city.county_a, "风险研判与应急处置", lecturers=[setup.zhang])
    setup.program.batch_count = 2
    setup.program.start_date = timezone.localdate()
    setup.program.save()
    first = make_session(
        setup.program, soon(10), lecturers=[setup.zhang], course=course, batch=1, title="风险研判"
    )
    second = make_session(
        setup.program, soon(17), lecturers=[setup.zhang], course=course, batch=2, title="风险研判"
    )
    return course, first, second


@pytest.mark.django_db
def test_batch_two_shares_batch_ones_outline_submitted_and_reviewed_once(
    client, setup, lecturer_user, two_batches
):
    _course, first, second = two_batches
    # when the lecturer submits the outline once, from batch 1's session, with a file
    upload = SimpleUploadedFile("提纲.pdf", PDF, content_type="application/pdf")
    v1 = services.outline_submit(actor=lecturer_user, session=first, text="一、形势", upload=upload)
    # then both batches wait for review, and the reviewer's queue lists the outline once
    assert status(first) == status(second) == OutlineStatus.SUBMITTED
    assert list(selectors.outlines_to_review(setup.reviewer)) == [first]
    # and batch 2's session shows the same outline
    assert [o.pk for o in selectors.session_outlines(second)] == [v1.pk]
    # when the reviewer returns it, and the lecturer answers from batch 2's page with text only
    services.outline_decide(
        actor=setup.reviewer, outline=v1, decision="returned", comment="请增加本地案例"
    )
    assert status(second) == OutlineStatus.RETURNED
    v2 = services.outline_submit(actor=lecturer_user, session=second, text="一、形势\n二、本地案例")
    # then it is version 2 of the same outline, and it keeps the file of version 1
    assert v2.version == 2 and v2.session_id == first.pk
    assert v2.file.name == v1.file.name and v2.file_name == "提纲.pdf"
    # when approved once, both batches are approved
    services.outline_decide(actor=setup.reviewer, outline=v2, decision="approved")
    assert status(first) == status(second) == OutlineStatus.APPROVED
    assert Outline._base_manager.filter(session__in=[first, second]).count() == 2


@pytest.mark.django_db
def test_a_third_batch_scheduled_after_approval_needs_no_second_review(
    setup, lecturer_user, two_batches
):
    course, first, _second = two_batches
    v1 = services.outline_submit(actor=lecturer_user, session=first, text="一、形势")
    services.outline_decide(actor=setup.reviewer, outline=v1, decision="approved")
    setup.program.batch_count = 3
    setup.program.save()
    third, _ = services.session_save(
        actor=setup.organizer,
        program=setup.program,
        data=SessionData(
            starts_at=soon(24), ends_at=soon(24) + timedelta(hours=2), course=course, batch=3
        ),
        accept_warnings=True,
    )
    assert status(third) == OutlineStatus.APPROVED


@pytest.mark.django_db
def test_another_course_or_lecturer_keeps_its_own_outline(setup, lecturer_user, two_batches):
    course, first, _second = two_batches
    other = make_session(setup.program, soon(12), lecturers=[setup.li], course=course, batch=2)
    services.outline_submit(actor=lecturer_user, session=first, text="一、形势")
    assert status(other) == OutlineStatus.NONE


@pytest.mark.django_db
def test_an_outline_past_its_deadline_shows_as_overdue(client, setup):
    # given a session in 3 days whose outline was due 7 days before class, none submitted
    late = make_session(setup.program, soon(3), lecturers=[setup.zhang], title="逾期的课")
    on_time = make_session(setup.program, soon(20), lecturers=[setup.zhang], title="按时的课")
    client.force_login(setup.organizer)
    page = client.get(f"/programs/{setup.program.pk}/sessions/").content.decode()
    # then the late one is marked overdue, the other still just not submitted
    row = page[page.index("逾期的课") :].split("</tr>")[0]
    assert "已逾期" in row
    row = page[page.index("按时的课") :].split("</tr>")[0]
    assert "未提交" in row and "已逾期" not in row
    assert late.outline_overdue and not on_time.outline_overdue
