"""Reads behind the trainee's form: which session, what they answered, whether it is open."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.checkin.models import Attendance
from ganxun.core.errors import NotFound
from ganxun.core.scoping import children_of
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import EvaluationSetup, SessionEvaluation
from ganxun.evaluations.services.forms import (
    check_can_answer,
    form_window,
    opens_at,
)
from ganxun.programs.models import Session
from ganxun.surveys import answering

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def get_session_for_form(actor: "User", pk) -> Session:
    """The session whose form the actor opens: one they attended, or one they may see (so the
    page can say why they cannot answer). Anything else is "not found"."""
    if not str(pk).isdigit():
        raise NotFound()
    # scope: fetched by id, then authorised below (attended it, or sees it)
    session = Session._base_manager.select_related("program", "course").filter(pk=pk).first()
    if session is None:
        raise NotFound()
    attended = actor.cadre_id is not None and (
        # scope: the actor's own attendance (by their cadre) at that session
        Attendance._base_manager.filter(session=session, cadre_id=actor.cadre_id).exists()
    )
    if not attended and not Session.objects.visible_to(actor).filter(pk=pk).exists():
        raise NotFound()
    return session


@dataclass
class FormState:
    session: Session
    setup: EvaluationSetup
    evaluation: SessionEvaluation | None
    closes_at: datetime
    refusal: EvaluationError | None

    @property
    def can_answer(self) -> bool:
        return self.refusal is None

    def items(self):
        questionnaire = (
            self.evaluation.response.questionnaire if self.evaluation else self.setup.questionnaire
        )
        return answering.items_with_saved(
            questionnaire, self.evaluation.response if self.evaluation else None
        )


def form_state(actor: "User", session: Session, setup: EvaluationSetup) -> FormState:
    """Where the actor stands with the session's form; ``setup`` is the program's settings
    (``services.setup_ensure``, called by the page: a selector never writes)."""
    evaluation = (
        children_of(session, SessionEvaluation, "session")
        .select_related("response__questionnaire")
        .filter(cadre_id=actor.cadre_id)
        .first()
        if actor.cadre_id
        else None
    )
    refusal = None
    try:
        if not actor.cadre_id:
            raise EvaluationError("not_trainee", _("您的账号没有关联学员信息，不能评价。"))
        check_can_answer(actor, session, setup)
    except EvaluationError as exc:
        refusal = exc
    return FormState(session, setup, evaluation, form_window(session, setup)[1], refusal)


def my_pending_forms(actor: "User", limit: int = 20) -> list[Session]:
    """Sessions the actor attended in the last weeks whose form is open now and unanswered
    (window checked against each program's setup: from the end of class, or N minutes before
    it, until the close hours after it)."""
    if not actor.cadre_id:
        return []
    now = timezone.now()
    # scope: the actor's own attendances and forms (by their cadre)
    attended = Attendance._base_manager.filter(session=OuterRef("pk"), cadre_id=actor.cadre_id)
    # scope: the actor's own forms (by their cadre)
    answered = SessionEvaluation._base_manager.filter(
        session=OuterRef("pk"), cadre_id=actor.cadre_id
    )
    sessions = list(
        # scope: cut to the sessions the actor attended (Exists below)
        Session._base_manager.filter(
            status=Session.Status.SCHEDULED,
            starts_at__lte=now,
            ends_at__gte=now - timedelta(days=31),
        )
        .filter(Exists(attended))
        .exclude(Exists(answered))
        .select_related("program", "program__evaluation_setup")
        .order_by("-starts_at")[:limit]
    )
    out = []
    for s in sessions:
        setup = getattr(s.program, "evaluation_setup", None)
        hours = setup.close_hours if setup else 72
        opens = opens_at(s, setup.open_minutes_before_end if setup else 0)
        if opens <= now < s.ends_at + timedelta(hours=hours):
            # a mark for the inbox tile, beside the session's own fields
            s.form_closes_at = s.ends_at + timedelta(hours=hours)  # type: ignore[attr-defined]
            out.append(s)
    return out


def attendees_without_form(sessions) -> dict[int, list[int]]:
    """{session id: cadre ids} of trainees who attended (checked in) and have not filled the
    session's form yet — who a reminder or a 催办 of the form is for. ``sessions`` are held
    (authorised) instances; one query for all of them."""
    if not sessions:
        return {}
    filled = SessionEvaluation._base_manager.filter(  # scope: forms of the held sessions
        session_id=OuterRef("session_id"), cadre_id=OuterRef("cadre_id")
    )
    rows = (
        children_of(list(sessions), Attendance, "session")
        .exclude(Exists(filled))
        .order_by("session_id", "cadre_id")
        .values_list("session_id", "cadre_id")
    )
    out: dict[int, list[int]] = {s.pk: [] for s in sessions}
    for session_id, cadre_id in rows:
        out[session_id].append(cadre_id)
    return out


def form_closes_at(sessions) -> dict[int, tuple[datetime, datetime]]:
    """{session id: (opens, closes)} of the held sessions' forms, by their programs' settings
    (the defaults where a program has none yet), in one query."""
    programs = {s.program_id for s in sessions}
    # scope: the settings rows of the held sessions' programs
    rows = EvaluationSetup._base_manager.filter(program_id__in=programs)
    setups = {s.program_id: s for s in rows}
    out = {}
    for session in sessions:
        setup = setups.get(session.program_id) or EvaluationSetup(program_id=session.program_id)
        out[session.pk] = form_window(session, setup)
    return out
