"""The question bank and pre/post tests (测评): building, opening, and scoring a submission."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, unscoped
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import Assessment, AssessmentAttempt, BankQuestion
from ganxun.evaluations.models.assessments import TRUE_FALSE_OPTIONS
from ganxun.programs.models import ProgramTrainee
from ganxun.programs.policies import can_manage_program, can_manage_programs, manages_org
from ganxun.surveys.answering import Answers

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.catalog.models import Course
    from ganxun.programs.models import ProgramUnit

MAX_OPTIONS = 10
QUESTION_FIELDS = ["kind", "text", "options", "correct", "points", "course", "unit"]
ASSESSMENT_FIELDS = ["kind", "title", "pass_mark", "unit", "status"]
Kind = BankQuestion.Kind


# --- the bank -----------------------------------------------------------------


@dataclass
class BankQuestionData:
    kind: str
    text: str
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    points: int = 1
    course: "Course | None" = None
    unit: "ProgramUnit | None" = None


def _clean_question(data: BankQuestionData) -> BankQuestionData:
    text = (data.text or "").strip()
    if not text:
        raise EvaluationError("required", _("请填写题干。"), field="text")
    if len(text) > 500:
        raise EvaluationError("too_long", _("题干最多 500 字。"), field="text")
    if data.kind not in Kind.values:
        raise EvaluationError("bad_kind", _("题型无效。"), field="kind")
    options = TRUE_FALSE_OPTIONS if data.kind == Kind.TRUE_FALSE else data.options
    options = [o.strip() for o in options if o and o.strip()]
    if len(options) < 2 or len(options) > MAX_OPTIONS:
        raise EvaluationError(
            "bad_options", _("请填写 2 到 %(max)s 个选项。") % {"max": MAX_OPTIONS}, field="options"
        )
    if any(len(o) > 200 for o in options):
        raise EvaluationError("too_long", _("每个选项最多 200 字。"), field="options")
    correct = sorted(set(data.correct))
    if not correct or any(i < 0 or i >= len(options) for i in correct):
        raise EvaluationError(
            "bad_correct", _("请选出正确答案（须是已填写的选项）。"), field="correct"
        )
    if data.kind != Kind.MULTIPLE and len(correct) != 1:
        raise EvaluationError(
            "bad_correct", _("单选题和判断题只能有一个正确答案。"), field="correct"
        )
    if not 1 <= int(data.points or 0) <= 100:
        raise EvaluationError("bad_points", _("分值须在 1 到 100 之间。"), field="points")
    return BankQuestionData(
        data.kind, text, options, correct, int(data.points), data.course, data.unit
    )


@transaction.atomic
def bank_question_save(
    *, actor: "User", owner, data: BankQuestionData, question: BankQuestion | None = None
) -> BankQuestion:
    if not (can_manage_programs(actor) and manages_org(actor, owner)):
        raise PermissionDenied()
    if question is not None and not manages_org(actor, question.owner):
        raise PermissionDenied()
    data = _clean_question(data)
    if data.unit is not None and not can_manage_program(actor, data.unit.program):
        raise EvaluationError("not_visible", _("所选单元不在您管理的项目中。"), field="unit")
    creating = question is None
    question = question or BankQuestion(owner=owner, created_by=actor)
    before = {} if creating else snapshot(question, QUESTION_FIELDS)
    for name in ("kind", "text", "options", "correct", "points", "course", "unit"):
        setattr(question, name, getattr(data, name))
    question.save()
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        obj=question,
        changes=diff(before, snapshot(question, QUESTION_FIELDS)),
    )
    return question


@transaction.atomic
def bank_question_delete(*, actor: "User", question: BankQuestion) -> None:
    """Retired, not deleted: tests already taken keep pointing at it."""
    if not (can_manage_programs(actor) and manages_org(actor, question.owner)):
        raise PermissionDenied()
    question.is_active = False
    question.save(update_fields=["is_active"])
    audit_record(actor=actor, action="delete", obj=question)


# --- tests -----------------------------------------------------------------


@dataclass
class AssessmentData:
    kind: str
    title: str
    pass_mark: int = 60
    unit: "ProgramUnit | None" = None


def _require_manager(actor: "User", program) -> None:
    if not can_manage_program(actor, program):
        raise PermissionDenied()


@transaction.atomic
def assessment_save(
    *, actor: "User", program, data: AssessmentData, assessment: Assessment | None = None
) -> Assessment:
    _require_manager(actor, program)
    title = (data.title or "").strip()
    if not title:
        raise EvaluationError("required", _("请填写测评名称。"), field="title")
    if data.kind not in Assessment.Kind.values:
        raise EvaluationError("bad_kind", _("请选择前测或后测。"), field="kind")
    try:
        mark = int(data.pass_mark)
    except (TypeError, ValueError):
        mark = -1
    if not 0 <= mark <= 100:
        raise EvaluationError("bad_pass_mark", _("及格线须在 0 到 100 之间。"), field="pass_mark")
    if data.unit is not None and data.unit.program_id != program.pk:
        raise EvaluationError("bad_unit", _("所选单元不属于本项目。"), field="unit")
    creating = assessment is None
    assessment = assessment or Assessment(program=program, created_by=actor)
    before = {} if creating else snapshot(assessment, ASSESSMENT_FIELDS)
    assessment.kind, assessment.title, assessment.pass_mark = data.kind, title, mark
    assessment.unit = data.unit
    assessment.save()
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        obj=assessment,
        changes=diff(before, snapshot(assessment, ASSESSMENT_FIELDS)),
    )
    return assessment


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise EvaluationError("locked", _("测评已发布，试题不能再改动。"))


@transaction.atomic
def assessment_add_questions(*, actor: "User", assessment: Assessment, question_ids) -> int:
    _require_manager(actor, assessment.program)
    _require_draft(assessment)
    ids = {int(i) for i in question_ids if str(i).isdigit()}
    found = list(BankQuestion.objects.visible_to(actor).filter(pk__in=ids, is_active=True))
    if len(found) != len(ids) or not ids:
        raise EvaluationError("bad_questions", _("请从题库中选择可用的试题。"), field="questions")
    # scope: links a held test to questions just read through the actor's view
    with unscoped():
        assessment.questions.add(*found)
    audit_record(
        actor=actor, action="update", obj=assessment, changes={"questions": [None, sorted(ids)]}
    )
    return len(found)


@transaction.atomic
def assessment_remove_question(*, actor: "User", assessment: Assessment, question_id: int) -> None:
    _require_manager(actor, assessment.program)
    _require_draft(assessment)
    # scope: unlinks from a held test (Django's remove filters through the bank's manager)
    with unscoped():
        assessment.questions.remove(question_id)
    audit_record(
        actor=actor, action="update", obj=assessment, changes={"questions": [question_id, None]}
    )


@transaction.atomic
def assessment_set_status(*, actor: "User", assessment: Assessment, status: str) -> Assessment:
    """draft → open (needs questions) → closed; a closed test may be opened again."""
    _require_manager(actor, assessment.program)
    allowed: dict[str, set[str]] = {
        Assessment.Status.DRAFT: {Assessment.Status.OPEN},
        Assessment.Status.OPEN: {Assessment.Status.CLOSED},
        Assessment.Status.CLOSED: {Assessment.Status.OPEN},
    }
    if status not in allowed.get(assessment.status, set()):
        raise EvaluationError("bad_status", _("测评当前状态下不能进行此操作。"))
    if status == Assessment.Status.OPEN and not assessment_questions(assessment):
        raise EvaluationError("no_questions", _("测评还没有试题，不能发布。"))
    before = snapshot(assessment, ["status"])
    assessment.status = status
    assessment.save(update_fields=["status"])
    audit_record(
        actor=actor, action="update", obj=assessment, changes=diff(before, {"status": status})
    )
    return assessment


def assessment_questions(assessment: Assessment) -> list[BankQuestion]:
    # scope: the questions of a held test; a trainee taking it does not see the bank
    with unscoped():
        return list(assessment.questions.order_by("id"))


# --- taking a test -----------------------------------------------------------------


def read_choices(question: BankQuestion, data) -> list[int]:
    """The option indexes posted for ``q<id>`` (one for single/true-false, any for multiple)."""
    raws = (
        data.getlist(f"q{question.pk}")
        if hasattr(data, "getlist")
        else data.get(f"q{question.pk}", [])
    )
    if isinstance(raws, str | int):
        raws = [raws]
    chosen = []
    for raw in raws:
        try:
            index = int(str(raw).strip())
        except ValueError:
            raise EvaluationError("bad_value", _("选择无效，请重新选择。")) from None
        if not 0 <= index < len(question.options):
            raise EvaluationError("bad_value", _("选择无效，请重新选择。"))
        chosen.append(index)
    chosen = sorted(set(chosen))
    if question.kind != Kind.MULTIPLE and len(chosen) > 1:
        raise EvaluationError("bad_value", _("此题只能选一项。"))
    return chosen


def score_answers(questions: list[BankQuestion], answers: dict[int, list[int]]) -> tuple:
    """(score, max score): a question earns its points when the chosen set equals the key."""
    score = sum(q.points for q in questions if q.is_right(answers.get(q.pk, [])))
    return score, sum(q.points for q in questions)


def parse_attempt(questions, data) -> tuple[dict[int, list[int]], dict[int, str]]:
    answers, errors = {}, {}
    for q in questions:
        try:
            chosen = read_choices(q, data)
        except EvaluationError as exc:
            errors[q.pk] = exc.message
            continue
        if not chosen:
            errors[q.pk] = _("此题未作答。")
        answers[q.pk] = chosen
    return answers, errors


@transaction.atomic
def assessment_submit(*, actor: "User", assessment: Assessment, data: Answers) -> AssessmentAttempt:
    """Score and keep the actor's answers: once per test, only while it is open, only for the
    program's trainees. Refusals: not_trainee, not_open, already_taken, invalid."""
    cadre_id = getattr(actor, "cadre_id", None)
    trainee = (
        # scope: the actor's own trainee row in the held test's program, locked
        ProgramTrainee._base_manager.select_for_update()
        .filter(program_id=assessment.program_id, cadre_id=cadre_id)
        .first()
        if cadre_id
        else None
    )
    if trainee is None:
        raise EvaluationError("not_trainee", _("您不是本项目的学员，不能参加此测评。"))
    assert cadre_id is not None  # a trainee row needs a cadre
    if not assessment.is_open:
        raise EvaluationError("not_open", _("测评未开放或已结束。"))
    if children_of(assessment, AssessmentAttempt, "assessment").filter(cadre_id=cadre_id).exists():
        raise EvaluationError("already_taken", _("您已完成此测评，每人只能作答一次。"))
    questions = assessment_questions(assessment)
    answers, errors = parse_attempt(questions, data)
    if errors:
        raise EvaluationError(
            "invalid",
            _("还有题目未作答或选择无效，请检查标红的题目。"),
            errors={str(k): v for k, v in errors.items()},
        )
    score, max_score = score_answers(questions, answers)
    percent = round(score * 100 / max_score, 1) if max_score else 0.0
    try:
        with transaction.atomic():
            attempt = AssessmentAttempt.objects.create(
                assessment=assessment,
                cadre_id=cadre_id,
                answers={str(k): v for k, v in answers.items()},
                score=score,
                max_score=max_score,
                percent=percent,
                passed=percent >= assessment.pass_mark,
            )
    except IntegrityError:
        raise EvaluationError("already_taken", _("您已完成此测评，每人只能作答一次。")) from None
    audit_record(actor=actor, action="create", obj=attempt, changes={"score": [None, score]})
    return attempt
