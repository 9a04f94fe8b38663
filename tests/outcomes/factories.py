"""Outcomes objects for tests, and the evidence other apps provide (attendance, leave, forms,
tests) as plain model creates."""

from datetime import date

from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.checkin.models import Attendance
from ganxun.enrollment.models import LeaveRequest
from ganxun.evaluations.models import Assessment, AssessmentAttempt, SessionEvaluation
from ganxun.outcomes.models import (
    Certificate,
    FollowUp,
    GraduationRule,
    Outcome,
)
from ganxun.outcomes.models.graduation import new_code
from ganxun.surveys.models import Questionnaire, Response
from tests.factories import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


def attend(session, cadre):
    return Attendance.objects.create(
        session=session, cadre=cadre, checked_in_at=session.starts_at, method="manual"
    )


def leave(session, cadre, status=LeaveRequest.Status.APPROVED):
    return LeaveRequest.objects.create(session=session, cadre=cadre, reason="公务", status=status)


def evaluate(session, cadre, score=4.5):
    questionnaire = Questionnaire.objects.create(
        org=session.program.org, title="课堂评价", created_by=session.program.created_by
    )
    response = Response.objects.create(questionnaire=questionnaire, status="submitted")
    return SessionEvaluation.objects.create(
        session=session,
        cadre=cadre,
        response=response,
        mean_score=score,
        submitted_at=timezone.now(),
    )


def post_test(program, kind=Assessment.Kind.POST):
    return Assessment.objects.create(
        program=program, kind=kind, title="结业测评", status=Assessment.Status.OPEN
    )


def attempt(assessment, cadre, percent):
    return AssessmentAttempt.objects.create(
        assessment=assessment,
        cadre=cadre,
        score=int(percent),
        max_score=100,
        percent=percent,
        passed=percent >= assessment.pass_mark,
    )


def make_rule(program, **extra) -> GraduationRule:
    extra.setdefault("issuer", "东江县委组织部")
    extra.setdefault("updated_by", program.created_by)
    return GraduationRule.objects.create(program=program, **extra)


def make_outcome(program, cadre, *, status=Outcome.Status.SUBMITTED, by=None, **extra):
    outcome = Outcome.objects.create(
        program=program,
        unit=cadre.unit,
        title=extra.pop("title", "成果"),
        kind=extra.pop("kind", Outcome.Kind.PROJECT),
        change=extra.pop("change", "变化"),
        status=status,
        submitted_by=by or program.created_by,
        submitted_at=timezone.now(),
        **extra,
    )
    Outcome.cadres.through.objects.create(outcome=outcome, cadre=cadre)
    return outcome


def make_followup(program, rating, cadres=(), unit=None, visited_on=None):
    followup = FollowUp.objects.create(
        program=program,
        visited_on=visited_on or program.start_date,
        visitors="组织部调研组",
        unit=unit,
        applied="已应用",
        rating=rating,
        created_by=program.created_by,
    )
    for cadre in cadres:
        FollowUp.cadres.through.objects.create(followup=followup, cadre=cadre)
    return followup


def make_certificate(program, cadre, **extra) -> Certificate:
    return Certificate.objects.create(
        program=program,
        cadre=cadre,
        code=extra.pop("code", new_code()),
        name=cadre.name,
        unit_name=cadre.unit.name,
        program_name=program.full_name,
        start_date=program.start_date,
        end_date=program.end_date,
        issuer="东江县委组织部",
        issued_by=program.created_by,
        issued_at=timezone.now(),
        **extra,
    )


def foreign_outcomes(city, other_admin) -> dict:
    """One of each outcomes object kept by 西山区, keyed by the URL prefix that takes its id —
    for the URL walk in tests/test_scoping_http.py (more specific prefixes first)."""
    from django.core.files.base import ContentFile

    from ganxun.orgs.models import Cadre
    from ganxun.outcomes.models import Attachment
    from tests.programs.factories import make_program

    west = city.county_b
    program = make_program(
        west, organizer=other_admin, name="西山区成效项目", start=date(2025, 3, 1)
    )
    cadre = Cadre._base_manager.filter(unit=city.town_b1).first()
    outcome = make_outcome(program, cadre, by=other_admin)
    followup = make_followup(program, 4, [cadre])
    attachment = Attachment(
        outcome=outcome,
        file_name="a.png",
        content_type="image/png",
        size=1,
        uploaded_by=other_admin,
    )
    attachment.file.save("a.png", ContentFile(PNG), save=True)
    cert = make_certificate(program, cadre)
    make_user(west, Role.TRAINEE)
    return {
        "outcomes/attachments/": attachment.pk,
        "outcomes/programs/": program.pk,
        "outcomes/followups/": followup.pk,
        "outcomes/certificates/": cert.pk,
        "outcomes/": outcome.pk,
        # The public check takes a code, not an id: the walk's unfilled "<str:code>" is simply
        # a code that does not exist (404 "证书不存在").
        "verify/": 0,
    }
