"""Three-party consultation (三方研议) and trainees' progress through a unit's closed loop."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog.models import Material
from ganxun.core.errors import PermissionDenied
from ganxun.programs import selectors, services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Consultation, StepRecord
from ganxun.programs.services import ConsultationData
from tests.catalog.factories import make_material
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program, make_session


@pytest.fixture
def meeting(setup, city):
    """A session next week with two enrolled trainees who have accounts."""
    chen = CadreFactory(unit=city.town_a1, name="陈晓明")
    wang = CadreFactory(unit=city.town_a2, name="王丽")
    reps = enroll(setup.program, [chen, wang])
    chen_user = make_user(city.town_a1, Role.TRAINEE, cadre=chen)
    start = timezone.now() + timedelta(days=7)
    session = make_session(setup.program, start, lecturers=[setup.zhang], title="应急指挥体系")
    return session, reps, chen_user


@pytest.mark.django_db
def test_the_consultation_records_who_met_the_direction_and_the_adjustments(setup, meeting):
    session, reps, chen_user = meeting
    record = services.consultation_save(
        actor=setup.organizer,
        session=session,
        data=ConsultationData(
            held_on=timezone.localdate(),
            lecturer=setup.zhang,
            representatives=reps,
            direction="以本地两次防汛为案例讲指挥体系",
            adjustments="增加会务突发事件处置的经验分享",
        ),
    )
    shown = selectors.session_consultation(session)
    assert shown.pk == record.pk and shown.organizer == setup.organizer
    assert {r.cadre.name for r in shown.representatives.all()} == {"陈晓明", "王丽"}
    # a representative sends expectations from a phone before the meeting
    services.expectation_submit(actor=chen_user, session=session, text="希望讲讲乡镇如何值守")
    services.expectation_submit(actor=chen_user, session=session, text="希望讲讲乡镇如何值守和转移")
    texts = [e.text for e in selectors.session_consultation(session).expectations.all()]
    assert texts == ["希望讲讲乡镇如何值守和转移"]


@pytest.mark.django_db
def test_representatives_must_be_trainees_of_the_program_and_meet_before_class(
    setup, meeting, city
):
    session, _reps, _user = meeting
    # given a trainee of another program
    stranger_row = enroll(make_program(city.county_a), [CadreFactory(unit=city.town_a1)])[0]
    with pytest.raises(ProgramError) as caught:
        services.consultation_save(
            actor=setup.organizer,
            session=session,
            data=ConsultationData(held_on=timezone.localdate(), representatives=[stranger_row]),
        )
    assert caught.value.code == "not_enrolled"
    with pytest.raises(ProgramError) as caught:
        services.consultation_save(
            actor=setup.organizer,
            session=session,
            data=ConsultationData(held_on=timezone.localdate() + timedelta(days=30)),
        )
    assert caught.value.code == "after_class"
    assert not Consultation.objects.visible_to(setup.organizer).exists()


@pytest.mark.django_db
def test_only_representatives_send_expectations_and_only_before_the_meeting(setup, meeting, city):
    session, reps, chen_user = meeting
    services.consultation_save(
        actor=setup.organizer,
        session=session,
        data=ConsultationData(held_on=timezone.localdate(), representatives=reps[1:]),
    )
    with pytest.raises(PermissionDenied):  # 陈晓明 is not a representative
        services.expectation_submit(actor=chen_user, session=session, text="期望")
    Consultation.objects.visible_to(setup.organizer).update(
        held_on=timezone.localdate() - timedelta(days=1)
    )
    wang_user = make_user(city.town_a2, Role.TRAINEE, cadre=reps[1].cadre)
    with pytest.raises(ProgramError) as caught:
        services.expectation_submit(actor=wang_user, session=session, text="期望")
    assert caught.value.code == "meeting_over"


@pytest.mark.django_db
def test_the_session_page_shows_the_consultation_to_a_representative_on_a_phone(
    client, setup, meeting
):
    session, reps, chen_user = meeting
    services.consultation_save(
        actor=setup.organizer,
        session=session,
        data=ConsultationData(
            held_on=timezone.localdate(),
            representatives=reps,
            direction="案例为主",
            adjustments="增加值守经验",
        ),
    )
    client.force_login(chen_user)
    page = client.get(f"/programs/sessions/{session.pk}/").content.decode()
    assert "案例为主" in page and "增加值守经验" in page and "提交我的学习期望" in page
    response = client.post(
        f"/programs/sessions/{session.pk}/expectation/", {"text": "希望多讲乡镇案例"}
    )
    assert response.status_code == 302
    assert "希望多讲乡镇案例" in client.get(f"/programs/sessions/{session.pk}/").content.decode()


@pytest.mark.django_db
def test_trainees_tick_the_steps_of_a_unit_and_file_the_outcome_summary(setup, city):
    cadre = CadreFactory(unit=city.town_a1)
    row = enroll(setup.program, [cadre])[0]
    user = make_user(city.town_a1, Role.TRAINEE, cadre=cadre)
    book = make_material(city.county_a, "习近平关于防范风险挑战论述摘编")
    video = make_material(city.county_a, "应急处置案例课", kind=Material.Kind.VIDEO)
    setup.march.materials.through.objects.create(programunit=setup.march, material=book)
    setup.march.materials.through.objects.create(programunit=setup.march, material=video)
    setup.march.summary_due = date(2099, 1, 1)
    setup.march.save()
    services.step_mark(actor=user, unit=setup.march, kind="reading", material=book)
    services.step_mark(actor=user, unit=setup.march, kind="summary", text="制定了值守制度")
    units = selectors.program_units(setup.program)
    progress = selectors.unit_progress(setup.program, row, units)
    steps = {s["kind"]: s for s in progress[0]["steps"]}
    assert (steps["reading"]["done"], steps["reading"]["total"]) == (1, 1)
    assert (steps["online"]["done"], steps["online"]["total"]) == (0, 1)
    assert steps["summary"]["text"] == "制定了值守制度"
    # unticking removes it; a material not on the unit's list is refused
    services.step_mark(actor=user, unit=setup.march, kind="reading", material=book, done=False)
    assert not StepRecord._base_manager.filter(kind="reading").exists()
    other = make_material(city.county_a, "别的书")
    with pytest.raises(ProgramError):
        services.step_mark(actor=user, unit=setup.march, kind="reading", material=other)
