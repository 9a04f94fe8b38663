"""Class evaluations and tests in the demo.

The finished cohort of the outcomes demo (青年干部履职能力提升班, with attendance) gets two more
classes taught by the demo ``lecturer`` account, and about four in five of the trainees who
attended each class filled the satisfaction form — enough that the lecturer sees aggregates,
the organizer sees rankings, suggestion themes and a monthly trend. The cohort also had a pre-
and a post-test from a small question bank. The upcoming 周末知行学堂 has an open pre-test the
demo trainee can take.

The forms of classes long past are written directly (their forms closed weeks ago, so the
submit service would rightly refuse them); tests go through the services up to the attempts,
which are scored with the same function as a live submission.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock

from django.utils import timezone

from ganxun.catalog.models import Course, Lecturer
from ganxun.checkin.models import Attendance
from ganxun.evaluations.models import Assessment, AssessmentAttempt, SessionEvaluation
from ganxun.evaluations.services import (
    AssessmentData,
    BankQuestionData,
    assessment_add_questions,
    assessment_save,
    assessment_set_status,
    bank_question_save,
    setup_ensure,
)
from ganxun.evaluations.services.assessments import score_answers
from ganxun.programs.models import Program, ProgramTrainee, Session
from ganxun.programs.services import SessionData, session_save
from ganxun.surveys.answering import load_items
from ganxun.surveys.models import Answer, Question, Response

FINISHED = "青年干部履职能力提升班"
SHARE_ANSWERING = 0.8
SUGGESTIONS = [
    "希望多安排案例教学，少一些照本宣科",
    "案例很接地气，建议多讲基层实际案例",
    "课程时间太长，中间可以安排休息",
    "时间安排紧凑一些，下午容易疲劳",
    "希望增加互动研讨环节",
    "多一些分组讨论和交流",
    "课件能否会后发给学员",
    "希望提供课件和学习资料下载",
    "老师讲得很好，很受启发",
    "",
    "",
    "",
]
# (text, kind, options, correct indexes, points)
BANK = [
    ("突发事件应急响应一般分为几级？", "single", ["二级", "三级", "四级", "五级"], [2], 1),
    ("防汛防台转移群众应坚持“应转尽转、不漏一人”。", "truefalse", [], [0], 1),
    ("基层议事协商的主体包括哪些？", "multiple", ["村（居）民", "驻村单位", "外地游客"], [0, 1], 2),
    ("数字化改革的核心是业务流程再造。", "truefalse", [], [0], 1),
    ("新时代“枫桥经验”强调矛盾纠纷：", "single", ["上交处理", "就地化解", "一律诉讼"], [1], 1),
    ("共同富裕的实现路径包括：", "multiple", ["高质量发展", "收入分配改革", "平均主义"], [0, 1], 2),
    ("村级集体经济项目应当经过民主程序决策。", "truefalse", [], [0], 1),
    ("调查研究的第一步通常是：", "single", ["写报告", "明确问题", "开座谈会"], [1], 1),
]


@dataclass(frozen=True)
class EvaluationsSummary:
    forms: int
    attempts: int


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def build_evaluations(users, rng) -> EvaluationsSummary:
    organizer, lecturer_user = users["organizer"], users["lecturer"]
    lecturer = Lecturer.objects.filter(cadre_id=lecturer_user.cadre_id).first()
    program = Program.objects.filter(name=FINISHED, org=organizer.org).order_by("-id").first()
    if program is None or lecturer is None:
        return EvaluationsSummary(0, 0)
    _lecturer_classes(organizer, program, lecturer)
    forms = _forms(program, rng)
    bank = _bank(organizer, lecturer)
    attempts = _tests(organizer, program, bank, rng)
    _open_pretest(organizer, users["trainee"], bank)
    return EvaluationsSummary(forms, attempts)


def _lecturer_classes(organizer, program, lecturer) -> list[Session]:
    """Two classes of the lecturer in the finished cohort, attended like the others."""
    courses = list(Course.objects.filter(lecturers=lecturer).order_by("id")[:2])
    start = program.start_date
    made = []
    for i, course in enumerate(courses):
        day = start + timedelta(days=30 + 28 * i)
        session, _warnings = session_save(
            actor=organizer,
            program=program,
            data=SessionData(
                title=course.title,
                course=course,
                lecturers=[lecturer],
                starts_at=_at(day, 14),
                ends_at=_at(day, 16, 30),
            ),
            accept_warnings=True,
        )
        made.append(session)
    trainees = list(
        ProgramTrainee.objects.filter(program=program).values_list("cadre_id", flat=True)
    )
    Attendance.objects.bulk_create(
        Attendance(
            session=s,
            cadre_id=cadre_id,
            checked_in_at=s.starts_at - timedelta(minutes=5),
            method=Attendance.Method.QR,
        )
        for s in made
        for cadre_id in trainees
    )
    return made


def _scores(base: float, n: int, rng) -> list[int]:
    return [max(1, min(5, round(rng.gauss(base, 0.7)))) for _ in range(n)]


def _forms(program, rng) -> int:
    """About four in five attendees of every class answered; each class has its own level."""
    questionnaire = setup_ensure(program).questionnaire
    questions = [i.question for i in load_items(questionnaire)]
    ratings = [q for q in questions if q.kind == Question.Kind.RATING]
    text_q = next((q for q in questions if q.is_text), None)
    attendances = list(
        Attendance.objects.filter(session__program=program).select_related("session")
    )
    level = {s: rng.uniform(3.6, 4.7) for s in {a.session_id for a in attendances}}
    chosen = [a for a in attendances if rng.random() < SHARE_ANSWERING]
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            status=Response.Status.SUBMITTED,
            submitted_at=a.session.ends_at + timedelta(minutes=rng.randint(5, 600)),
        )
        for a in chosen
    )
    answers, evaluations = [], []
    for a, response in zip(chosen, responses, strict=True):
        scores = _scores(level[a.session_id], len(ratings), rng)
        answers += [
            Answer(response=response, question=q, number=s)
            for q, s in zip(ratings, scores, strict=True)
        ]
        text = rng.choice(SUGGESTIONS)
        if text and text_q is not None:
            answers.append(Answer(response=response, question=text_q, text=text))
        evaluations.append(
            SessionEvaluation(
                session_id=a.session_id,
                cadre_id=a.cadre_id,
                response=response,
                mean_score=round(sum(scores) / len(scores), 3),
                submitted_at=response.submitted_at,
            )
        )
    Answer.objects.bulk_create(answers)
    SessionEvaluation.objects.bulk_create(evaluations)
    return len(evaluations)


def _bank(organizer, lecturer) -> list:
    course = Course.objects.filter(lecturers=lecturer).order_by("id").first()
    return [
        bank_question_save(
            actor=organizer,
            owner=organizer.org,
            data=BankQuestionData(kind, text, options, correct, points, course=course),
        )
        for text, kind, options, correct, points in BANK
    ]


def _attempt_answers(bank, ability: float, rng) -> dict[int, list[int]]:
    answers = {}
    for q in bank:
        if rng.random() < ability:
            answers[q.pk] = list(q.correct)
        else:
            wrong = [i for i in range(len(q.options)) if i not in q.correct]
            answers[q.pk] = [rng.choice(wrong)]
    return answers


def _tests(organizer, program, bank, rng) -> int:
    """A pre-test at the start and a post-test at the end; trainees improved on average."""
    tests = {}
    for kind, title in (("pre", "开班前测"), ("post", "结业后测")):
        test = assessment_save(
            actor=organizer,
            program=program,
            data=AssessmentData(kind=kind, title=title, pass_mark=60),
        )
        assessment_add_questions(
            actor=organizer, assessment=test, question_ids=[q.pk for q in bank]
        )
        assessment_set_status(actor=organizer, assessment=test, status="open")
        tests[kind] = test
    cadres = list(ProgramTrainee.objects.filter(program=program).values_list("cadre_id", flat=True))
    rows = []
    for cadre_id in cadres:
        before = rng.uniform(0.3, 0.7)
        after = min(0.97, before + rng.uniform(0.05, 0.35))
        for kind, ability in (("pre", before), ("post", after)):
            answers = _attempt_answers(bank, ability, rng)
            score, max_score = score_answers(bank, answers)
            percent = round(score * 100 / max_score, 1)
            rows.append(
                AssessmentAttempt(
                    assessment=tests[kind],
                    cadre_id=cadre_id,
                    answers={str(k): v for k, v in answers.items()},
                    score=score,
                    max_score=max_score,
                    percent=percent,
                    passed=percent >= tests[kind].pass_mark,
                )
            )
    AssessmentAttempt.objects.bulk_create(rows)
    for test in tests.values():
        assessment_set_status(actor=organizer, assessment=test, status="closed")
    return len(rows)


def _open_pretest(organizer, trainee, bank) -> None:
    """An open pre-test on the trainee's upcoming program, for the trainee to take."""
    upcoming = (
        Program.objects.filter(
            trainees__cadre_id=trainee.cadre_id, start_date__gt=timezone.localdate()
        )
        .order_by("start_date")
        .first()
    )
    if upcoming is None:
        return
    test = assessment_save(
        actor=organizer,
        program=upcoming,
        data=AssessmentData(kind=Assessment.Kind.PRE, title="开班前测", pass_mark=60),
    )
    assessment_add_questions(
        actor=organizer, assessment=test, question_ids=[q.pk for q in bank[:5]]
    )
    assessment_set_status(actor=organizer, assessment=test, status="open")
