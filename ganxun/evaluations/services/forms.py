"""Satisfaction forms: the program's form (default or its own), and a trainee's answers.

Answers are parsed, validated and written by the question engine (``surveys.answering``); this
module decides who may answer which session, when, and that each trainee has one form per
session — a second submission while the form is open edits the same response.
"""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ganxun.checkin.models import Attendance
from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, refetch, unscoped
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import EvaluationSetup, SessionEvaluation
from ganxun.evaluations.policies import can_configure
from ganxun.programs.models import Session
from ganxun.surveys import answering
from ganxun.surveys import services as survey_services
from ganxun.surveys.models import Question, Questionnaire, Response, Section

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MAX_CLOSE_HOURS = 24 * 30
MAX_OPEN_BEFORE_MINUTES = 240

# The default form, after Yuhua's 课堂满意度评价表. The question texts are the keys results are
# grouped by across programs, so programs with their own form keep these texts where they can.
DEFAULT_QUESTIONS = [
    ("rating", "主题", "选题是否切合工作需要（1 = 很不满意，5 = 非常满意）"),
    ("rating", "内容", "内容是否充实、有针对性"),
    ("rating", "形式", "教学形式是否生动、互动充分"),
    ("rating", "授课教师", "授课教师的讲授水平"),
    ("rating", "总体", "对本次课的总体评价"),
    ("long_text", "意见和建议", "选填：对本课或今后培训的建议"),
]


# --- the program's form --------------------------------------------------------------------------


def _default_form(program) -> Questionnaire:
    """Written by the system (no actor), the first time a form of the program is needed."""
    with unscoped():  # scope: the system writes a held program's default form; it reads nothing
        questionnaire = Questionnaire.objects.create(
            org=program.org,
            title=f"{program.full_name} 课堂满意度评价表",
            intro="请根据本次课的实际情况评分，评价匿名统计，授课教师只看到汇总结果。",
            purpose=Questionnaire.Purpose.EVALUATION,
            status=Questionnaire.Status.OPEN,
            opened_at=timezone.now(),
        )
        section = Section.objects.create(questionnaire=questionnaire, title="课堂评价")
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                section=section,
                kind=kind,
                text=text,
                help_text=help_text,
                required=kind == "rating",
                position=i,
            )
            for i, (kind, text, help_text) in enumerate(DEFAULT_QUESTIONS)
        )
    return questionnaire


def setup_ensure(program) -> EvaluationSetup:
    """The program's settings with a form in use (the default form on first use)."""
    setup = children_of(program, EvaluationSetup, "program").select_related("questionnaire").first()
    if setup is not None and setup.questionnaire_id:
        return setup
    with transaction.atomic():
        # scope: the settings row of a held program (a trainee's form needs it too), made once
        setup, _created = EvaluationSetup._base_manager.get_or_create(program=program)
        setup = refetch(setup, lock=True)
        if not setup.questionnaire_id:
            setup.questionnaire = _default_form(program)
            setup.save(update_fields=["questionnaire", "updated_at"])
    return setup


def opens_at(session: Session, minutes_before_end: int):
    """When a session's form opens: at the end of class, or ``minutes_before_end`` before it,
    never before the class starts."""
    return max(session.starts_at, session.ends_at - timedelta(minutes=minutes_before_end or 0))


def form_window(session: Session, setup: EvaluationSetup) -> tuple:
    """(opens, closes): from the end of class (or the program's minutes before it) until
    ``close_hours`` after the end."""
    return (
        opens_at(session, setup.open_minutes_before_end),
        session.ends_at + timedelta(hours=setup.close_hours),
    )


@transaction.atomic
def setup_update(
    *, actor: "User", program, close_hours, open_minutes_before_end=None
) -> EvaluationSetup:
    if not can_configure(actor, program):
        raise PermissionDenied()
    try:
        hours = int(close_hours)
    except (TypeError, ValueError):
        raise EvaluationError("bad_hours", _("请填写整数小时数。"), field="close_hours") from None
    if not 1 <= hours <= MAX_CLOSE_HOURS:
        raise EvaluationError(
            "bad_hours",
            _("填写时限须在 1 到 %(max)s 小时之间。") % {"max": MAX_CLOSE_HOURS},
            field="close_hours",
        )
    setup = setup_ensure(program)
    minutes = setup.open_minutes_before_end
    if open_minutes_before_end is not None:
        try:
            minutes = int(open_minutes_before_end)
        except (TypeError, ValueError):
            minutes = -1
        if not 0 <= minutes <= MAX_OPEN_BEFORE_MINUTES:
            raise EvaluationError(
                "bad_minutes",
                _("开放时间须为下课时（0）或下课前 1 到 %(max)s 分钟。")
                % {"max": MAX_OPEN_BEFORE_MINUTES},
                field="open_minutes_before_end",
            )
    fields = ["close_hours", "open_minutes_before_end"]
    before = snapshot(setup, fields)
    setup.close_hours = hours
    setup.open_minutes_before_end = minutes
    setup.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=setup,
        changes=diff(before, {"close_hours": hours, "open_minutes_before_end": minutes}),
    )
    return setup


def form_customize(*, actor: "User", program) -> Questionnaire:
    """A draft copy of the form in use, to edit in the questionnaire builder; the draft already
    being edited when there is one. Runs the surveys services, so each step is audited."""
    if not can_configure(actor, program):
        raise PermissionDenied()
    setup = setup_ensure(program)
    if setup.draft_id:
        assert setup.draft is not None  # draft_id is set
        return setup.draft
    with transaction.atomic():
        source = setup.questionnaire
        assert source is not None  # setup_ensure gives every setup a form
        draft = survey_services.questionnaire_create(
            actor=actor,
            org=program.org,
            title=f"{program.full_name} 课堂满意度评价表",
            intro=source.intro,
            purpose=Questionnaire.Purpose.EVALUATION,
        )
        sections: dict[int, Section] = {}
        for item in answering.load_items(source):
            q = item.question
            if q.section_id not in sections:
                sections[q.section_id] = survey_services.section_create(
                    actor=actor, questionnaire=draft, title=q.section.title
                )
            data = survey_services.QuestionData(
                kind=q.kind,
                text=q.text,
                help_text=q.help_text,
                required=q.required,
                max_choices=q.max_choices,
                options=[o.text for o in item.options],
            )
            survey_services.question_create(actor=actor, section=sections[q.section_id], data=data)
        setup.draft = draft
        setup.save(update_fields=["draft", "updated_at"])
    return draft


@transaction.atomic
def form_activate(*, actor: "User", program) -> EvaluationSetup:
    """Put the edited draft in use. Forms already filled keep their own questions; sessions
    answered from now on use the new form."""
    if not can_configure(actor, program):
        raise PermissionDenied()
    setup = setup_ensure(program)
    setup = refetch(setup, lock=True)
    if not setup.draft_id:
        raise EvaluationError("no_draft", _("没有正在编辑的评价表。"))
    assert setup.draft is not None  # draft_id was checked above
    ratings = children_of(setup.draft, Question, "questionnaire").filter(kind="rating").count()
    if not ratings:
        raise EvaluationError("no_rating", _("评价表至少要有一道评分题（1–5 分）。"))
    draft = survey_services.questionnaire_open(actor=actor, questionnaire=setup.draft)
    before = {"questionnaire": str(setup.questionnaire)}
    setup.questionnaire, setup.draft = draft, None
    setup.save(update_fields=["questionnaire", "draft", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=setup,
        changes=diff(before, {"questionnaire": f"{draft} #{draft.pk}"}),
    )
    return setup


# --- answering -----------------------------------------------------------------


def _attendance_locked(session: Session, cadre_id) -> Attendance | None:
    """The trainee's attendance row, locked: two posts of the same trainee wait for each other,
    so the second sees the first's form and edits it instead of adding a row."""
    return (
        children_of(session, Attendance, "session")
        .select_for_update()
        .filter(cadre_id=cadre_id)
        .first()
    )


def check_can_answer(actor: "User", session: Session, setup: EvaluationSetup, now=None) -> None:
    """The form rules that do not depend on the answers: attended, class started, not closed."""
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        raise EvaluationError("cancelled", _("本次课已取消，无需评价。"))
    # no cadre (cadre_id=None) finds no attendance
    attended = children_of(session, Attendance, "session").filter(cadre_id=actor.cadre_id)
    if not attended.exists():
        raise EvaluationError(
            "not_attended", _("没有您本次课的签到记录：只有签到参加了本次课的学员才能评价。")
        )
    opens, closes = form_window(session, setup)
    if now < opens:
        raise EvaluationError("not_open", _("评价将于 %(when)s 开放。") % {"when": _when(opens)})
    if now >= closes:
        raise EvaluationError(
            "closed", _("本次课的评价已于 %(when)s 截止。") % {"when": _when(closes)}
        )


def _mean_rating(parsed) -> float | None:
    scores = [
        i.value
        for i in parsed.items
        if i.question.kind == Question.Kind.RATING and isinstance(i.value, int)
    ]
    return round(sum(scores) / len(scores), 3) if scores else None


@transaction.atomic
def evaluation_submit(
    *, actor: "User", session: Session, data: answering.Answers, submission_key: str = ""
):
    """Submit (or, while the form is open, edit) the actor's form for ``session``.

    Refusals (``EvaluationError``): not_trainee, not_attended, not_open, closed, cancelled,
    invalid (``details["errors"]`` maps question id → message). Nothing is written on refusal.
    """
    if not getattr(actor, "cadre_id", None):
        raise EvaluationError("not_trainee", _("您的账号没有关联学员信息，不能评价。"))
    assert actor.cadre_id is not None  # checked just above
    setup = setup_ensure(session.program)
    check_can_answer(actor, session, setup)
    if _attendance_locked(session, actor.cadre_id) is None:
        raise EvaluationError("not_attended", _("没有您本次课的签到记录。"))
    existing = (
        children_of(session, SessionEvaluation, "session")
        .select_related("response__questionnaire")
        .filter(cadre_id=actor.cadre_id)
        .first()
    )
    questionnaire = existing.response.questionnaire if existing else setup.questionnaire
    assert questionnaire is not None  # setup_ensure gives every setup a form
    parsed = answering.parse(questionnaire, data, final=True)
    if not parsed.ok:
        raise EvaluationError(
            "invalid",
            _("有题目未答或答案无效，请检查标红的题目。"),
            errors={str(k): v for k, v in parsed.errors.items()},
        )
    # scope: the trainee writes their own response to the program's form (outside their view)
    with unscoped():
        response = (
            existing.response if existing else Response.objects.create(questionnaire=questionnaire)
        )
        answering.response_save(
            response=response, data=data, submit=True, submission_key=submission_key
        )
    if existing:
        existing.mean_score = _mean_rating(parsed)
        existing.edits += 1
        existing.save(update_fields=["mean_score", "edits", "updated_at"])
        audit_record(actor=actor, action="update", obj=existing, changes={"edits": existing.edits})
        return existing
    evaluation = SessionEvaluation.objects.create(
        session=session,
        cadre_id=actor.cadre_id,
        response=response,
        mean_score=_mean_rating(parsed),
        submitted_at=timezone.now(),
    )
    # The answers stay out of the audit log: it records that a form was filed, not its content.
    audit_record(actor=actor, action="create", obj=evaluation)
    return evaluation


def _when(moment) -> str:
    """A moment the way the page writes it, in the reader's language ("3月5日 17:00")."""
    return date_format(timezone.localtime(moment), _("m月d日 H:i"))
