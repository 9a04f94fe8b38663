"""Read endpoints for evaluation results (dashboards, the provincial platform) and the submit
endpoint a mobile client uses — the same policies, scoping and anonymity rule as the pages."""

from ninja import Router, Schema

from ganxun.core.api import ErrorOut
from ganxun.core.errors import PermissionDenied
from ganxun.evaluations import policies, selectors, services
from ganxun.evaluations.progress import program_learning, program_reaction
from ganxun.programs import selectors as program_selectors
from ganxun.surveys.answering import Answers

router = Router(tags=["教学评估"])


class QuestionMean(Schema):
    label: str
    mean: float | None


class QuestionOut(QuestionMean):
    n: int
    distribution: list[int]


class SessionResultOut(Schema):
    hidden: bool
    missing: int | None = None
    responses: int | None = None
    expected: int | None = None
    rate: float | None = None
    mean: float | None = None
    by_question: list[QuestionOut] = []


class ProgramSummaryOut(Schema):
    responses: int
    expected: int
    rate: float | None
    mean: float | None
    by_question: list[QuestionMean]
    tested: int
    pre_mean: float | None
    post_mean: float | None
    gain: float | None


class SubmitIn(Schema):
    answers: dict[str, str | list[str]]


class SubmitOut(Schema):
    id: int
    session: int
    mean_score: float | None
    edits: int


@router.get(
    "/evaluations/sessions/{session_id}",
    response={200: SessionResultOut, 403: ErrorOut, 404: ErrorOut},
    summary="课次评价结果（授课教师满 5 人才返回数字）",
)
def session_result(request, session_id: int):
    session = selectors.get_session_results_for(request.auth, session_id)
    return selectors.session_results(request.auth, session)


@router.get(
    "/evaluations/programs/{program_id}",
    response={200: ProgramSummaryOut, 403: ErrorOut, 404: ErrorOut},
    summary="项目满意度与测评提升",
)
def program_summary(request, program_id: int):
    if not policies.can_manage_evaluations(request.auth):
        raise PermissionDenied()
    program = program_selectors.get_program_for(request.auth, program_id)
    return {**program_reaction(program), **program_learning(program)}


@router.post(
    "/evaluations/sessions/{session_id}/form",
    response={200: SubmitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="提交或修改本人对课次的评价",
)
def submit_form(request, session_id: int, payload: SubmitIn):
    session = selectors.get_session_for_form(request.auth, session_id)
    evaluation = services.evaluation_submit(
        actor=request.auth, session=session, data=Answers.from_json(payload.answers)
    )
    return {
        "id": evaluation.pk,
        "session": session.pk,
        "mean_score": evaluation.mean_score,
        "edits": evaluation.edits,
    }
