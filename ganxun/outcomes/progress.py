"""Graduation progress (过关斩将): each criterion of a program's rule, met or not, with what is
left — for one trainee on a phone and for every trainee in the organizer's graduation table.

Attendance rule: the sessions that count are the program's scheduled sessions that have begun
and at which the trainee was expected (``enrollment.expected``). A session the trainee attended
counts as present; one missed with approved leave (请假获批) counts as neither present nor
absent — it leaves the denominator; any other missed session is an absence. Share = present /
(expected − excused). With nothing left to count the share is unknown and the criterion unmet.

Forms rule: a share is forms filled / sessions attended (a form follows each attended class).

Queries are bounded by the number of the program's sessions, never by the number of trainees.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.checkin.models import Attendance
from ganxun.core.scoping import children_of
from ganxun.enrollment.expected import expected_cadre_ids
from ganxun.enrollment.models import LeaveRequest
from ganxun.evaluations import progress as evaluations
from ganxun.outcomes.models import Certificate, GraduationRule, Outcome
from ganxun.programs.models import ProgramTrainee, Session


@dataclass
class Criterion:
    key: str
    label: str
    met: bool
    value: str  # where the trainee stands, e.g. "出勤 5/6（83%）"
    left: str = ""  # what is still to do, empty when met


@dataclass
class AttendanceTally:
    expected: int = 0
    present: int = 0
    excused: int = 0

    @property
    def counted(self) -> int:
        return self.expected - self.excused

    @property
    def share(self) -> Decimal | None:
        if self.counted <= 0:
            return None
        return Decimal(self.present) / Decimal(self.counted)


@dataclass
class TraineeProgress:
    trainee: ProgramTrainee
    criteria: list[Criterion] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def graduated(self) -> bool:
        return self.certificate is not None

    @property
    def met_count(self) -> int:
        return sum(c.met for c in self.criteria)


def attendance_for(program, trainees: list[ProgramTrainee], now=None) -> dict[int, AttendanceTally]:
    now = now or timezone.now()
    cadre_ids = [t.cadre_id for t in trainees]
    sessions = list(
        children_of(program, Session, "program")
        .filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
        .only("pk", "program_id", "batch", "self_selectable")
    )
    wanted = set(cadre_ids)
    expected: dict[int, set[int]] = {}
    for session in sessions:
        expected[session.pk] = set(expected_cadre_ids(session)) & wanted
    present = set(
        children_of(sessions, Attendance, "session")
        .filter(cadre_id__in=cadre_ids)
        .values_list("session_id", "cadre_id")
    )
    excused = set(
        children_of(sessions, LeaveRequest, "session")
        .filter(cadre_id__in=cadre_ids, status=LeaveRequest.Status.APPROVED)
        .values_list("session_id", "cadre_id")
    )
    out = {cid: AttendanceTally() for cid in cadre_ids}
    for session_id, people in expected.items():
        for cid in people:
            row = out[cid]
            row.expected += 1
            if (session_id, cid) in present:
                row.present += 1
            elif (session_id, cid) in excused:
                row.excused += 1
    return out


def last_session_end(program):
    """When the program's teaching is over: the end of its last scheduled session, or the end
    of its last day when it has none."""
    last = (
        children_of(program, Session, "program")
        .filter(status=Session.Status.SCHEDULED)
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    if last is not None:
        return last
    day_after = program.end_date + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day_after, time.min))


def program_over(program, now=None) -> bool:
    return (now or timezone.now()) >= last_session_end(program)


def outcome_states(program, cadre_ids: list[int]) -> dict[int, set[str]]:
    """Cadre id → the statuses of the outcomes naming them in this program."""
    through = Outcome.cadres.through
    rows = through.objects.filter(outcome__program=program, cadre_id__in=cadre_ids).values_list(
        "cadre_id", "outcome__status"
    )
    out: dict[int, set[str]] = defaultdict(set)
    for cid, status in rows:
        out[cid].add(status)
    return out


def percent(share: Decimal | float | None) -> str:
    return "—" if share is None else f"{float(share):.0%}"


def _attendance_criterion(rule, att: AttendanceTally) -> Criterion:
    need = rule.min_attendance
    share = att.share
    value = _("出勤 %(present)s/%(counted)s 次（%(percent)s）") % {
        "present": att.present,
        "counted": att.counted,
        "percent": percent(share),
    }
    if att.excused:
        value += _("，请假 %(excused)s 次不计") % {"excused": att.excused}
    met = share is not None and share >= need
    left = ""
    if not met:
        left = (
            _("尚无可计出勤的课次")
            if share is None
            else _("出勤率需达到 %(percent)s") % {"percent": percent(need)}
        )
    return Criterion(
        "attendance", _("出勤率不低于 %(percent)s") % {"percent": percent(need)}, met, value, left
    )


def _forms_criteria(rule, att: AttendanceTally, filled: int) -> list[Criterion]:
    out = []
    if rule.min_forms_count is not None:
        need = rule.min_forms_count
        met = filled >= need
        left = "" if met else _("还需填写 %(n)s 份课堂评价") % {"n": need - filled}
        out.append(
            Criterion(
                "forms_count",
                _("填写课堂评价不少于 %(need)s 份") % {"need": need},
                met,
                _("已填 %(filled)s 份") % {"filled": filled},
                left,
            )
        )
    if rule.min_forms_share is not None:
        need = rule.min_forms_share
        share = Decimal(filled) / Decimal(att.present) if att.present else None
        # nothing attended, nothing due: not a failure (attendance has its own criterion)
        met = share is None or share >= need
        left = (
            "" if met else _("已上课次的评价填写率需达到 %(percent)s") % {"percent": percent(need)}
        )
        value = (
            _("已填 %(filled)s/%(present)s 份（%(percent)s）")
            % {"filled": filled, "present": att.present, "percent": percent(share)}
            if att.present
            else _("暂无应填的评价")
        )
        out.append(
            Criterion(
                "forms_share",
                _("评价填写率不低于 %(percent)s") % {"percent": percent(need)},
                met,
                value,
                left,
            )
        )
    return out


def _outcome_criterion(rule, states: set[str]) -> Criterion:
    accepted = Outcome.Status.ACCEPTED in states
    submitted = accepted or Outcome.Status.SUBMITTED in states
    if rule.outcome == GraduationRule.OutcomeNeed.ACCEPTED:
        met, label = accepted, _("学用成果经审核采纳")
        left = "" if met else (_("成果待审核") if submitted else _("请提交学用成果"))
    else:
        met, label = submitted, _("提交学用成果")
        left = "" if met else _("请提交学用成果")
    if Outcome.Status.RETURNED in states and not met:
        left = _("成果被退回，请修改后重新提交")
    value = _("已采纳") if accepted else (_("待审核") if submitted else _("未提交"))
    return Criterion("outcome", label, met, value, left)


def program_progress(program, rule, trainees: list[ProgramTrainee]) -> list[TraineeProgress]:
    """Every criterion of ``rule`` for each trainee, plus their valid certificate if any."""
    cadre_ids = [t.cadre_id for t in trainees]
    att = attendance_for(program, trainees) if rule and rule.min_attendance is not None else {}
    wants_forms = rule and (rule.min_forms_count is not None or rule.min_forms_share is not None)
    if wants_forms and rule.min_forms_share is not None and not att:
        att = attendance_for(program, trainees)
    filled = evaluations.forms_filled(program, cadre_ids) if wants_forms else {}
    passed = evaluations.tests_passed(program, cadre_ids) if rule and rule.require_tests else {}
    outcomes = outcome_states(program, cadre_ids) if rule and rule.outcome else {}
    certificates = {
        c.cadre_id: c
        for c in children_of(program, Certificate, "program").filter(
            cadre_id__in=cadre_ids, revoked_at__isnull=True
        )
    }
    out = []
    for t in trainees:
        row = TraineeProgress(t, certificate=certificates.get(t.cadre_id))
        if rule is not None:
            a = att.get(t.cadre_id, AttendanceTally())
            if rule.min_attendance is not None:
                row.criteria.append(_attendance_criterion(rule, a))
            if wants_forms:
                row.criteria += _forms_criteria(rule, a, filled.get(t.cadre_id, 0))
            if rule.require_tests:
                ok = passed.get(t.cadre_id, False)
                row.criteria.append(
                    Criterion(
                        "tests",
                        _("通过结业测评"),
                        ok,
                        _("已通过") if ok else _("未通过"),
                        "" if ok else _("请参加并通过后测"),
                    )
                )
            if rule.outcome:
                row.criteria.append(_outcome_criterion(rule, outcomes.get(t.cadre_id, set())))
        out.append(row)
    return out


def trainees_of(program, cadre_ids=None) -> list[ProgramTrainee]:
    qs = children_of(program, ProgramTrainee, "program").select_related("cadre__unit")
    if cadre_ids is not None:
        qs = qs.filter(Q(cadre_id__in=cadre_ids))
    return list(qs.order_by("cadre__unit__path", "cadre__name", "id"))
