"""Notices stay true: the 调训通知 lists only the trainee's own batch and classroom; after
batching, classroom assignment and timetable changes the organizer previews and sends one
grouped update per affected trainee, lecturer and unit contact; a cadre whose account is
created later still finds the notices; lecturers have the inbox."""

from datetime import date

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry, Notice
from ganxun.enrollment.models import ScheduleChange
from ganxun.enrollment.services import nomination_create, nominations_confirm
from ganxun.programs.models import ProgramTrainee, Venue
from ganxun.programs.services.batches import trainee_set_batch, venues_assign
from ganxun.programs.services.sessions import SessionData, session_cancel, session_save
from tests.catalog.factories import make_lecturer
from tests.enrollment.factories import make_quota
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, make_session, make_venue

pytestmark = pytest.mark.django_db


def _inbox(client, user) -> str:
    client.force_login(user)
    return client.get("/enrollment/inbox/").content.decode()


def test_notices_follow_batching_rooms_and_timetable_changes(setup, city, client):
    # given a two-batch program: Saturday for batch 1, Sunday for batch 2, in the county hall,
    # streamed to 东湖镇's video sub-classroom
    program = setup.program
    hall = make_venue(city.county_a, "县委党校报告厅", capacity=200)
    sub = make_venue(city.county_a, "东湖镇分课堂", kind=Venue.Kind.VIDEO, capacity=30)
    sub.serves = city.town_a1
    sub.save()
    program.main_venue, program.batch_count = hall, 2
    program.save()
    program.sub_venues.through.objects.create(program=program, venue=sub)
    teacher_cadre = CadreFactory(unit=city.county_a, name="何老师")
    lecturer = make_lecturer(city.county_a, "何老师", cadre=teacher_cadre)
    teacher = make_user(city.county_a, Role.LECTURER, cadre=teacher_cadre)
    sat = make_session(
        program,
        at(date(2030, 3, 2), 9),
        title="党的创新理论",
        batch=1,
        main_venue=hall,
        sub_venues=[sub],
        lecturers=[lecturer],
    )
    sun = make_session(
        program, at(date(2030, 3, 3), 9), title="乡村振兴实务", batch=2, main_venue=hall
    )
    # and two nominees of 东湖镇: 叶佳 has an account, 孙新达 none yet
    ye = CadreFactory(unit=city.town_a1, name="叶佳", rank="section_deputy")
    sun_cadre = CadreFactory(unit=city.town_a1, name="孙新达", rank="section_main")
    ye_account = make_user(city.town_a1, Role.TRAINEE, cadre=ye)
    quota = make_quota(program, city.town_a1, seats=2)
    noms = [nomination_create(actor=setup.contact, quota=quota, cadre=c) for c in (ye, sun_cadre)]

    # when the organizer confirms them before batching
    nominations_confirm(actor=setup.organizer, program=program, nominations=noms)
    # then 叶佳's 调训通知 names neither batch's sessions nor a room not yet assigned
    first = Notice.objects.get(user=ye_account)
    assert "批次待定" in first.body and "待分配" in first.body
    assert "乡村振兴实务" not in first.body and "党的创新理论" not in first.body

    # when the organizer splits the batches, assigns classrooms and calls off Sunday's class
    t_ye = ProgramTrainee.objects.visible_to(setup.organizer).get(cadre=ye)
    t_sun = ProgramTrainee.objects.visible_to(setup.organizer).get(cadre=sun_cadre)
    trainee_set_batch(actor=setup.organizer, trainee=t_ye, batch=1)
    trainee_set_batch(actor=setup.organizer, trainee=t_sun, batch=2)
    venues_assign(actor=setup.organizer, program=program)
    session_cancel(actor=setup.organizer, session=sun)
    # and moves Saturday's class to the afternoon
    session_save(
        actor=setup.organizer,
        program=program,
        session=sat,
        data=SessionData(
            starts_at=at(date(2030, 3, 2), 14),
            ends_at=at(date(2030, 3, 2), 17),
            title=sat.title,
            batch=1,
            main_venue=hall,
            sub_venues=[sub],
            lecturers=[lecturer],
        ),
        accept_warnings=True,
    )
    # then nothing is sent yet; the program page says what waits to be told
    assert Notice.objects.filter(kind__endswith="schedule_changed").count() == 0
    client.force_login(setup.organizer)
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "5 项变更待通知" in page
    preview = client.get(f"/enrollment/programs/{program.pk}/changes/").content.decode()
    assert "孙新达" in preview and "何老师" in preview

    # when the organizer confirms the preview
    ids = list(ScheduleChange.objects.visible_to(setup.organizer).values_list("pk", flat=True))
    response = client.post(
        f"/enrollment/programs/{program.pk}/changes/", {"change": [str(i) for i in ids]}
    )
    assert response.status_code == 302
    # then 叶佳 gets one update: her batch, her sub-classroom, Saturday afternoon only
    (update,) = Notice.objects.filter(user=ye_account, kind="schedule_changed")
    assert "第1批" in update.body and "东湖镇分课堂" in update.body
    assert "14:00" in update.body and "乡村振兴实务" not in update.body.split("变更后的安排")[1]
    # and the unit contact one notice naming both trainees
    (contact_notice,) = Notice.objects.filter(user=setup.contact, kind="contact_schedule_changed")
    assert "叶佳" in contact_notice.body and "孙新达" in contact_notice.body
    # and the lecturer one notice of the moved class, in an inbox they can reach from the menu
    teacher_inbox = _inbox(client, teacher)
    assert "授课安排变更" in teacher_inbox and 'href="/enrollment/inbox/"' in teacher_inbox
    # and 孙新达, whose account is created only now, finds both notices, the update saying
    # Sunday's class is cancelled
    sun_account = make_user(city.town_a1, Role.TRAINEE, cadre=sun_cadre)
    inbox = _inbox(client, sun_account)
    assert "调训通知：" in inbox and "调训通知（更新）" in inbox
    assert "取消课程《乡村振兴实务》" in inbox
    client.post("/enrollment/inbox/read-all/")
    assert Notice.objects.filter(user=sun_account, read_at__isnull=False).count() == 2
    # and the changes are told once, audited
    assert not ScheduleChange.objects.visible_to(setup.organizer).filter(notified_at=None)
    assert AuditEntry.objects.filter(changes__has_key="changes_notified").exists()
    client.force_login(setup.organizer)
    again = client.post(f"/enrollment/programs/{program.pk}/changes/", {"change": ids})
    assert again.status_code == 302
    assert Notice.objects.filter(user=ye_account, kind="schedule_changed").count() == 1


def test_sending_stale_changes_is_refused_with_nothing_sent(setup, city, client):
    program = setup.program
    cadre = CadreFactory(unit=city.town_a1, name="林一")
    ProgramTrainee.objects.create(program=program, cadre=cadre)
    session = make_session(program, at(date(2030, 3, 2), 9), title="开班式")
    session_cancel(actor=setup.organizer, session=session)
    client.force_login(setup.organizer)
    response = client.post(
        f"/enrollment/programs/{program.pk}/changes/", {"change": ["999999"]}, follow=True
    )
    assert "请刷新后核对再发送" in response.content.decode()
    assert not Notice.objects.filter(kind__endswith="schedule_changed").exists()


def test_a_notice_to_a_cadre_without_an_account_waits_for_the_account(city, client):
    # given a cadre with no account gets an invitation by the check-in path's one statement
    from ganxun.core.notices import notices_send_to_cadre

    cadre = CadreFactory(unit=city.town_a1, name="陈晓")
    assert notices_send_to_cadre(cadre_id=cadre.pk, kind="x", title="课堂评价邀请") == 1
    # when an account is linked later
    account = make_user(city.town_a1, Role.TRAINEE, cadre=cadre)
    # then the inbox shows it, and reading it makes it the account's own
    assert "课堂评价邀请" in _inbox(client, account)
    client.post("/enrollment/inbox/read-all/")
    notice = Notice.objects.get(cadre_id=cadre.pk)
    assert notice.user == account and notice.read_at is not None
    # and with an account, one row per account, none left for the cadre alone
    assert notices_send_to_cadre(cadre_id=cadre.pk, kind="x", title="第二条") == 1
    assert Notice.objects.filter(title="第二条", user=account).count() == 1


def test_the_preview_costs_the_same_queries_for_few_or_many_trainees(setup, city, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given a program whose classrooms were assigned (every trainee affected)
    program = setup.program
    program.main_venue = make_venue(city.county_a, capacity=500)
    program.save()
    client.force_login(setup.organizer)
    url = f"/enrollment/programs/{program.pk}/changes/"
    counts = []
    for n, town in ((2, city.town_a1), (12, city.town_a2)):
        for _ in range(n):
            ProgramTrainee.objects.create(program=program, cadre=CadreFactory(unit=town))
        make_user(town, Role.UNIT_CONTACT)
        venues_assign(actor=setup.organizer, program=program)
        client.get(url)
        # when the organizer previews
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    # then six times the trainees and twice the contacts cost no more queries
    assert counts[0] == counts[1]
