"""Copy a session to the other batch: batch 1 had it on Saturday, batch 2 gets the same course,
lecturer, classrooms and rules on Sunday, and the outline already approved carries over."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.programs import services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import OutlineDecision, OutlineStatus, Session
from ganxun.programs.services import ConflictError
from tests.catalog.factories import make_course
from tests.factories import make_user
from tests.programs.factories import at, make_session

SAT = date(2030, 3, 9)
SUN = SAT + timedelta(days=1)


@pytest.fixture
def batch_one(setup, city):
    setup.program.batch_count = 2
    setup.program.save()
    course = make_course(city.county_a, "风险研判与应急处置", lecturers=[setup.zhang])
    return make_session(
        setup.program,
        at(SAT, 9),
        at(SAT, 12),
        title="风险研判与应急处置",
        course=course,
        lecturers=[setup.zhang],
        main_venue=setup.hall,
        sub_venues=[setup.video],
        batch=1,
        unit=setup.march,
        credit_hours=3,
    )


def copy(setup, session, batch=2, day=SUN, **kw):
    return services.session_copy(
        actor=setup.organizer,
        session=session,
        batch=batch,
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        **kw,
    )


@pytest.mark.django_db
def test_copy_to_batch_two_carries_everything_and_the_approved_outline(setup, city, batch_one):
    # given batch 1's outline, submitted by the lecturer and approved by the reviewer
    lecturer = make_user(city.county_a, Role.LECTURER, cadre=setup.zhang.cadre)
    outline = services.outline_submit(actor=lecturer, session=batch_one, text="一、形势研判")
    services.outline_decide(
        actor=setup.reviewer, outline=outline, decision=OutlineDecision.Decision.APPROVED
    )
    # when the organizer copies the session to batch 2 on Sunday
    second, _warnings = copy(setup, batch_one)
    # then batch 2 has the same course, lecturer, rooms and hours, and its outline is approved
    second = Session.objects.visible_to(setup.organizer).get(pk=second.pk)
    assert (second.batch, second.course_id, second.title) == (
        2,
        batch_one.course_id,
        batch_one.title,
    )
    through = Session.lecturers.through.objects.filter(session=second)
    assert list(through.values_list("lecturer__name", flat=True)) == ["张平"]
    subs = Session.sub_venues.through.objects.filter(session=second)
    assert second.main_venue == setup.hall and list(subs.values_list("venue_id", flat=True)) == [
        setup.video.pk
    ]
    assert second.credit_hours == 3 and second.unit == setup.march
    assert timezone.localtime(second.starts_at).date() == SUN
    assert second.outline_status == OutlineStatus.APPROVED
    assert [o.pk for o in services_outlines(second)] == [outline.pk]
    # and the copy is audited as a new session
    assert AuditEntry.objects.filter(
        object_type="programs.session", object_id=str(second.pk), action="create"
    ).exists()


def services_outlines(session):
    from ganxun.programs import selectors

    return selectors.session_outlines(session)


@pytest.mark.django_db
def test_copy_at_the_same_hour_is_refused_naming_the_lecturer_and_writes_nothing(setup, batch_one):
    with pytest.raises(ConflictError) as caught:
        copy(setup, batch_one, day=SAT)
    assert {c.kind for c in caught.value.conflicts} >= {"lecturer_busy", "venue_busy"}
    assert Session.objects.visible_to(setup.organizer).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "batch,code", [(3, "invalid_batch"), (None, "invalid_batch"), (1, "same_batch")]
)
def test_copy_to_a_batch_that_does_not_exist_is_refused(setup, batch_one, batch, code):
    with pytest.raises(ProgramError) as caught:
        copy(setup, batch_one, batch=batch)
    assert caught.value.code == code
    assert Session.objects.visible_to(setup.organizer).count() == 1


@pytest.mark.django_db
def test_the_organizer_copies_from_the_session_page(client, setup, batch_one):
    client.force_login(setup.organizer)
    page = client.get(f"/programs/sessions/{batch_one.pk}/").content.decode()
    assert f"/programs/sessions/{batch_one.pk}/copy/" in page
    form = client.get(f"/programs/sessions/{batch_one.pk}/copy/").content.decode()
    assert 'value="2030-03-10"' in form and "第2批" in form
    # a batch that does not exist: the form says so, no 500
    bad = {"batch": "7", "day": "2030-03-10", "start_time": "09:00", "end_time": "12:00"}
    response = client.post(f"/programs/sessions/{batch_one.pk}/copy/", bad)
    assert response.status_code == 200 and Session._base_manager.count() == 1
    response = client.post(f"/programs/sessions/{batch_one.pk}/copy/", {**bad, "batch": "2"})
    second = Session._base_manager.exclude(pk=batch_one.pk).get()
    assert response["Location"] == f"/programs/sessions/{second.pk}/"
    assert second.batch == 2


@pytest.mark.django_db
def test_a_program_without_batches_offers_no_copy(client, setup):
    session = make_session(setup.program, at(SAT, 9), lecturers=[setup.li], main_venue=setup.hall)
    client.force_login(setup.organizer)
    page = client.get(f"/programs/sessions/{session.pk}/").content.decode()
    assert "/copy/" not in page
    response = client.post(
        f"/programs/sessions/{session.pk}/copy/",
        {"batch": "2", "day": "2030-03-10", "start_time": "09:00", "end_time": "12:00"},
    )
    assert response.status_code == 200 and Session._base_manager.count() == 1
