"""请假: before the class only, the unit contact decides, long leave also the organizer,
decisions reach the trainee, leave beyond the program's limit is flagged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import Notice
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import LeaveRequest
from ganxun.enrollment.selectors import approved_leave_cadre_ids, leave_share
from ganxun.enrollment.services import leave_decide, leave_request, leave_withdraw
from tests.enrollment.factories import trainee_account
from tests.factories import make_user
from tests.programs.factories import enroll, make_session

pytestmark = pytest.mark.django_db


def _session(program, *, days=2, hours=3, **extra):
    start = timezone.now() + timedelta(days=days)
    return make_session(program, start, start + timedelta(hours=hours), **extra)


@pytest.fixture
def trainee(setup, city):
    user = trainee_account(city.town_a1, name="陈学员")
    enroll(setup.program, [user.cadre])
    return user


def test_contact_approves_a_short_leave_and_the_trainee_is_told(setup, trainee):
    # given a 3-hour session (below the organizer threshold of 4 hours)
    session = _session(setup.program, hours=3)
    # when the trainee asks for leave
    leave = leave_request(actor=trainee, session=session, reason="防汛值班")
    # then 东湖镇's contact is told
    assert Notice.objects.filter(user=setup.contact, kind="leave_requested").exists()
    # when the contact approves
    leave_decide(actor=setup.contact, leave=leave, approve=True)
    # then the leave is approved, the trainee is told, and absence lists leave them out
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    assert Notice.objects.filter(user=trainee, kind="leave_decided", title__contains="已批准")
    assert list(approved_leave_cadre_ids(session)) == [trainee.cadre_id]


def test_long_leave_needs_the_organizer_after_the_contact(setup, trainee):
    # given a full-day session of 7 hours
    session = _session(setup.program, hours=7)
    leave = leave_request(actor=trainee, session=session, reason="参加上级会议")
    assert leave.needs_organizer
    # the organizer cannot decide before the contact
    with pytest.raises(EnrollmentError) as exc:
        leave_decide(actor=setup.organizer, leave=leave, approve=True)
    assert exc.value.code == "contact_first"
    # when the contact approves, the request still waits for the organizer
    leave_decide(actor=setup.contact, leave=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING and leave.contact_approved_by_id
    assert not approved_leave_cadre_ids(session).exists()
    assert Notice.objects.filter(user=setup.organizer, kind="leave_escalated").exists()
    # when the organizer approves, it is approved
    leave_decide(actor=setup.organizer, leave=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED


def test_leave_after_the_session_started_is_refused_with_a_clear_message(setup, trainee):
    # given a session that started ten minutes ago
    start = timezone.now() - timedelta(minutes=10)
    session = make_session(setup.program, start, start + timedelta(hours=2))
    # when the trainee asks for leave, then it is refused and nothing is written
    with pytest.raises(EnrollmentError) as exc:
        leave_request(actor=trainee, session=session, reason="临时有事")
    assert exc.value.code == "session_started"
    assert "已于" in exc.value.message and "开始" in exc.value.message
    assert not LeaveRequest.objects.visible_to(trainee).exists()


def test_leave_needs_a_reason_and_an_expected_trainee(setup, trainee, city):
    session = _session(setup.program)
    with pytest.raises(EnrollmentError) as exc:
        leave_request(actor=trainee, session=session, reason=" ")
    assert exc.value.code == "required"
    stranger = trainee_account(city.town_a1)
    with pytest.raises(EnrollmentError) as exc:
        leave_request(actor=stranger, session=session, reason="有事")
    assert exc.value.code == "not_expected"


def test_refusal_needs_a_note_and_a_contact_of_another_unit_cannot_decide(setup, trainee, city):
    session = _session(setup.program)
    leave = leave_request(actor=trainee, session=session, reason="家中有事")
    other = make_user(city.town_a2, Role.UNIT_CONTACT)
    with pytest.raises(PermissionDenied):
        leave_decide(actor=other, leave=leave, approve=True)
    with pytest.raises(EnrollmentError) as exc:
        leave_decide(actor=setup.contact, leave=leave, approve=False)
    assert exc.value.code == "required"
    leave_decide(actor=setup.contact, leave=leave, approve=False, note="本次为必修课")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REFUSED


def test_a_second_request_for_the_same_session_is_refused_until_withdrawn(setup, trainee):
    session = _session(setup.program)
    leave = leave_request(actor=trainee, session=session, reason="出差")
    with pytest.raises(EnrollmentError) as exc:
        leave_request(actor=trainee, session=session, reason="出差")
    assert exc.value.code == "already_requested"
    leave_withdraw(actor=trainee, leave=leave)
    leave_request(actor=trainee, session=session, reason="出差（改期）")


def test_leave_beyond_the_program_limit_is_flagged_to_the_organizer(setup, trainee, login):
    # given a program of four 3-hour sessions (4 学时 each at 45 minutes: 16; limit 1/7 ≈ 2.3)
    sessions = [_session(setup.program, days=d, hours=3) for d in (2, 3, 4, 5)]
    # when one leave of 3 hours (4 学时) is approved
    leave = leave_request(actor=trainee, session=sessions[0], reason="出差")
    leave_decide(actor=setup.contact, leave=leave, approve=True)
    # then the share is 25%, over the limit, and the organizer gets a notice
    share = leave_share(setup.program, trainee.cadre)
    assert share.leave_hours == Decimal(4) and share.total_hours == Decimal(16)
    assert share.over_limit
    assert Notice.objects.filter(user=setup.organizer, kind="leave_over_limit").exists()
    # and the program's leave list shows the flag
    page = login(setup.organizer).get(f"/enrollment/programs/{setup.program.pk}/leave/")
    assert "超限" in page.content.decode()


def test_leave_within_the_limit_is_not_flagged(setup, trainee):
    setup.program.leave_limit = Decimal("0.5")
    setup.program.save()
    sessions = [_session(setup.program, days=d, hours=3) for d in (2, 3, 4, 5)]
    leave = leave_request(actor=trainee, session=sessions[0], reason="出差")
    leave_decide(actor=setup.contact, leave=leave, approve=True)
    assert not leave_share(setup.program, trainee.cadre).over_limit
    assert not Notice.objects.filter(kind="leave_over_limit").exists()
