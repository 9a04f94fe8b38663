"""Graduation criteria with known attendance, leave, forms, tests and outcomes; the trainee's
过关斩将 page; bulk confirmation issuing certificates to those who meet every criterion."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ganxun.core.models import Notice
from ganxun.outcomes import progress
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Certificate, Outcome
from ganxun.outcomes.services import RuleData, graduates_confirm, rule_save
from tests.outcomes.factories import (
    attempt,
    attend,
    evaluate,
    leave,
    make_outcome,
    make_rule,
    post_test,
)
from tests.programs.factories import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(setup):
    """Five classes, all held (the program ran in 2025)."""
    return [
        make_session(setup.program, at(date(2025, 3, 1) + timedelta(days=7 * i), 9))
        for i in range(5)
    ]


def by_cadre(setup, rule):
    rows = progress.program_progress(setup.program, rule, progress.trainees_of(setup.program))
    return {r.trainee.cadre.name: r for r in rows}


def test_approved_leave_is_neither_present_nor_absent(setup, sessions):
    # given 陈晓明 attended 3 of 5 classes and was on approved leave for 1, absent for 1;
    for s in sessions[:3]:
        attend(s, setup.chen)
    leave(sessions[3], setup.chen)
    # 王丽 attended 3 and asked leave for 2, one refused
    for s in sessions[:3]:
        attend(s, setup.wang)
    leave(sessions[3], setup.wang)
    leave(sessions[4], setup.wang, status="refused")
    rule = make_rule(setup.program, min_attendance=Decimal("0.75"))
    # when progress is computed
    rows = by_cadre(setup, rule)
    # then 陈: 3 present of 4 counted (75 %) meets 75 %; 王 too (a refused leave is an absence)
    chen = rows["陈晓明"].criteria[0]
    assert chen.met and chen.value == "出勤 3/4 次（75%），请假 1 次不计"
    assert rows["王丽"].criteria[0].met
    # and 李强, who attended nothing, has what is left spelled out
    li = rows["李强"].criteria[0]
    assert not li.met and li.left == "出勤率需达到 75%"


def test_every_criterion_together_with_known_values(setup, sessions):
    # given a rule: 80 % attendance, 3 forms, 100 % forms share, post-test passed, outcome accepted
    rule = make_rule(
        setup.program,
        min_attendance=Decimal("0.8"),
        min_forms_count=3,
        min_forms_share=Decimal("1"),
        require_tests=True,
        outcome="accepted",
    )
    test = post_test(setup.program)
    # 陈晓明 attended 4/5, filled 4 forms, scored 85, outcome accepted → meets everything
    for s in sessions[:4]:
        attend(s, setup.chen)
        evaluate(s, setup.chen)
    attempt(test, setup.chen, 85)
    make_outcome(setup.program, setup.chen, status=Outcome.Status.ACCEPTED)
    # 王丽 attended 4/5, filled 2 forms, scored 50, outcome only submitted
    for s in sessions[:4]:
        attend(s, setup.wang)
    for s in sessions[:2]:
        evaluate(s, setup.wang)
    attempt(test, setup.wang, 50)
    make_outcome(setup.program, setup.wang, status=Outcome.Status.SUBMITTED)
    rows = by_cadre(setup, rule)
    assert rows["陈晓明"].ready
    wang = {c.key: c for c in rows["王丽"].criteria}
    assert wang["attendance"].met
    assert not wang["forms_count"].met and wang["forms_count"].left == "还需填写 1 份课堂评价"
    assert not wang["forms_share"].met and wang["forms_share"].value == "已填 2/4 份（50%）"
    assert not wang["tests"].met
    assert not wang["outcome"].met and wang["outcome"].left == "成果待审核"
    assert rows["王丽"].met_count == 1


def test_bulk_confirmation_issues_certificates_only_to_those_who_are_ready(setup, sessions):
    rule_save(
        actor=setup.organizer,
        program=setup.program,
        data=RuleData(issuer="东江县委组织部", min_attendance=Decimal("60")),  # "60" = 60 %
    )
    for s in sessions[:3]:
        attend(s, setup.chen)
    attend(sessions[0], setup.wang)
    # when the organizer confirms 陈 and 王 together
    result = graduates_confirm(
        actor=setup.organizer, program=setup.program, cadre_ids=[setup.chen.pk, setup.wang.pk]
    )
    # then only 陈 gets a certificate; 王 is listed with what is missing
    assert [c.name for c in result.issued] == ["陈晓明"]
    assert result.skipped == ["王丽：出勤率需达到 60%"]
    cert = Certificate.objects.visible_to(setup.organizer).get()
    assert (cert.issuer, cert.program_name, len(cert.code)) == (
        "东江县委组织部",
        "周末知行学堂",
        12,
    )
    # and 陈 hears of it; a second confirmation changes nothing
    assert Notice.objects.filter(user=setup.trainee, kind="certificate").count() == 1
    again = graduates_confirm(
        actor=setup.organizer, program=setup.program, cadre_ids=[setup.chen.pk]
    )
    assert again.issued == [] and again.skipped == ["陈晓明：已结业"]


def test_confirmation_needs_a_rule_and_refuses_people_outside_the_program(city, setup, cadres):
    with pytest.raises(OutcomeError) as no_rule:
        graduates_confirm(actor=setup.organizer, program=setup.program, cadre_ids=[setup.chen.pk])
    make_rule(setup.program)
    with pytest.raises(OutcomeError) as outsider:
        graduates_confirm(
            actor=setup.organizer,
            program=setup.program,
            cadre_ids=[setup.chen.pk, cadres["other_county"].pk],
        )
    assert (no_rule.value.code, outsider.value.code) == ("no_rule", "not_a_trainee")
    assert not Certificate.objects.visible_to(setup.organizer).exists()


def test_a_rule_with_an_out_of_range_share_is_refused(setup):
    with pytest.raises(OutcomeError) as refused:
        rule_save(
            actor=setup.organizer,
            program=setup.program,
            data=RuleData(issuer="x", min_attendance=Decimal("150")),
        )
    assert refused.value.code == "invalid_share"


def test_the_trainee_sees_ticks_crosses_and_what_is_left_on_a_phone(client, setup, sessions):
    make_rule(setup.program, min_attendance=Decimal("0.8"), outcome="submitted")
    for s in sessions:
        attend(s, setup.chen)
    client.force_login(setup.trainee)
    page = client.get(f"/outcomes/programs/{setup.program.pk}/my/").content.decode()
    assert "出勤 5/5 次（100%）" in page
    assert "还差：请提交学用成果" in page
    assert "已达到 1/2 项" in page


def test_the_graduation_table_runs_a_bounded_number_of_queries(
    client, setup, sessions, django_assert_max_num_queries
):
    make_rule(setup.program, min_attendance=Decimal("0.5"), min_forms_count=1, outcome="submitted")
    client.force_login(setup.organizer)
    with django_assert_max_num_queries(30):
        page = client.get(f"/outcomes/programs/{setup.program.pk}/graduation/")
    assert page.status_code == 200 and "陈晓明" in page.content.decode()


def test_graduation_credits_the_programs_bonus_hours_once(setup, sessions):
    # given a program with 4 bonus hours for graduates and a trainee who meets the rule
    from ganxun.core.scoping import unscoped
    from ganxun.credits.models import CreditEntry, ProgramCreditRule

    ProgramCreditRule.objects.create(program=setup.program, bonus_hours=Decimal("4"))
    make_rule(setup.program, min_attendance=Decimal("0.2"))
    attend(sessions[0], setup.chen)
    # when the organizer confirms the graduation (twice, by mistake)
    for _ in range(2):
        graduates_confirm(actor=setup.organizer, program=setup.program, cadre_ids=[setup.chen.pk])
    # then the trainee's record holds the bonus once
    with unscoped():
        hours = list(CreditEntry.objects.filter(cadre=setup.chen).values_list("hours", flat=True))
    assert hours == [Decimal("4")]
