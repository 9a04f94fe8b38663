"""Graduation only after the program's last session has ended (or an explicit, audited early
graduation with a reason); certificates state the 学时 earned; nothing due is not a failure."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events
from ganxun.core.models import AuditEntry
from ganxun.outcomes import progress
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Certificate
from ganxun.outcomes.services import RuleData, graduates_confirm, rule_save
from tests.outcomes.factories import attend
from tests.programs.factories import make_program, make_session

pytestmark = pytest.mark.django_db


def credited(session, cadre):
    """Checked in on time, with the ledger credited as check-in does."""
    attendance = attend(session, cadre)
    events.publish(AttendanceRecorded(attendance=attendance, created=True))


@pytest.fixture
def six_months(setup, city):
    """A six-month program in its first week: one 10:45–16:30 class held six days ago, twelve
    weekly classes still to come."""
    today = timezone.localdate()
    program = make_program(
        city.county_a,
        organizer=setup.organizer,
        name="中青年干部培训班",
        start=today - timedelta(days=7),
        end=today + timedelta(days=170),
    )
    from tests.programs.factories import enroll

    enroll(program, [setup.chen])
    first = timezone.now().replace(hour=10, minute=45, second=0, microsecond=0)
    first -= timedelta(days=6)
    sessions = [
        make_session(program, first + timedelta(weeks=i), first + timedelta(weeks=i, hours=5.75))
        for i in range(13)
    ]
    credited(sessions[0], setup.chen)
    rule_save(
        actor=setup.organizer,
        program=program,
        data=RuleData(issuer="东江县委党校", min_attendance=Decimal("80")),
    )
    return program, sessions


def test_on_day_seven_of_six_months_graduation_is_refused(setup, six_months, client):
    program, _ = six_months
    # given 陈晓明 attended the one class held so far (100 %)
    # when the organizer confirms him on day 7
    with pytest.raises(OutcomeError) as refused:
        graduates_confirm(actor=setup.organizer, program=program, cadre_ids=[setup.chen.pk])
    # then it is refused with when the last class ends, and no certificate exists
    assert refused.value.code == "not_finished"
    assert not Certificate._base_manager.filter(program=program).exists()
    # and the graduation page says so
    client.force_login(setup.organizer)
    page = client.get(reverse("outcomes:graduation", args=[program.pk])).content.decode()
    assert 'data-testid="not-finished"' in page and "结束后才能确认结业" in page


def test_an_early_graduation_needs_a_reason_is_audited_and_says_so(setup, six_months, client):
    program, _ = six_months
    # when the organizer graduates him early, giving the reason
    result = graduates_confirm(
        actor=setup.organizer,
        program=program,
        cadre_ids=[setup.chen.pk],
        early_reason="援疆挂职，经部务会同意提前结业",
    )
    # then the certificate ends today, not on the program's last day, and says early
    [cert] = result.issued
    assert cert.end_date == timezone.localdate() and cert.early_reason
    entry = AuditEntry.objects.filter(object_type="outcomes.certificate").latest("id")
    assert "援疆挂职" in str(entry.changes)
    client.force_login(setup.organizer)
    page = client.get(reverse("outcomes:certificate", args=[cert.pk])).content.decode()
    assert "提前结业" in page and "完成规定的学习任务" not in page


def test_after_the_last_class_the_certificate_states_the_hours_earned(setup, six_months, client):
    program, sessions = six_months
    # given every class is over (moved into the past) and 陈 attended all but two
    from ganxun.programs.models import Session

    shift = timedelta(weeks=13)
    for s in sessions:
        Session._base_manager.filter(pk=s.pk).update(
            starts_at=s.starts_at - shift, ends_at=s.ends_at - shift
        )
    for s in Session._base_manager.filter(program=program).order_by("starts_at")[1:11]:
        credited(s, setup.chen)
    assert progress.program_over(program)
    # when he is confirmed
    [cert] = graduates_confirm(
        actor=setup.organizer, program=program, cadre_ids=[setup.chen.pk]
    ).issued
    # then the certificate states 11 × 7.5 学时 (5 h 45 min at 45 minutes, down to halves)
    assert cert.hours == Decimal("82.5") and cert.early_reason == ""
    client.force_login(setup.organizer)
    page = client.get(reverse("outcomes:certificate", args=[cert.pk])).content.decode()
    assert '获得 <span data-testid="certificate-hours">82.5</span> 学时' in page


def test_no_forms_due_is_not_a_failure(setup, city):
    # given a rule asking 80 % of forms, and a trainee who has attended nothing yet
    rule = rule_save(
        actor=setup.organizer,
        program=setup.program,
        data=RuleData(issuer="东江县委组织部", min_forms_share=Decimal("80")),
    )
    rows = progress.program_progress(setup.program, rule, progress.trainees_of(setup.program))
    [forms] = rows[0].criteria
    # then the forms criterion is met and says nothing is due, not "✗ 已填 0/0"
    assert forms.met and forms.value == "暂无应填的评价"
