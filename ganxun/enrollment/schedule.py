"""“Your schedule” in a program, rendered from what is true at send time: the trainee's batch
and classroom and the sessions they are expected at (``expected.py``'s rule), or a lecturer's
own sessions. The first 调训通知 and every updated one use these, so a notice never lists the
other batch's sessions or a room the trainee is not in.

Reads are unscoped: callers pass a program they have authorised (or act for its organizer)."""

from django.db.models import Prefetch
from django.utils import timezone

from ganxun.catalog.models import Lecturer
from ganxun.core.scoping import children_of
from ganxun.enrollment.expected import ONLY_OWN_SESSIONS
from ganxun.enrollment.models import Seat
from ganxun.programs.models import Program, ProgramTrainee, Session, Venue

MAX_LINES = 40
WEEKDAYS = "一二三四五六日"


def _when(s: Session) -> str:
    start, end = timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)
    return f"{start:%m月%d日}（周{WEEKDAYS[start.weekday()]}）{start:%H:%M}–{end:%H:%M}"


def program_sessions(program: Program) -> list[Session]:
    """The program's scheduled sessions with rooms and lecturers, in one bounded read."""
    return list(
        children_of(program, Session, "program")
        .filter(status=Session.Status.SCHEDULED)
        .select_related("main_venue")
        .prefetch_related(
            # scope: the rooms of a held program's sessions, named in its trainees' notices
            Prefetch("sub_venues", queryset=Venue._base_manager.all()),
            # scope: the lecturers of a held program's sessions, named in the notices
            Prefetch("lecturers", queryset=Lecturer._base_manager.only("pk", "name", "cadre_id")),
        )
        .order_by("starts_at", "id")
    )


def _batch_pending(program: Program, trainee: ProgramTrainee) -> bool:
    return program.batch_count > 1 and trainee.batch is None


def sessions_for(program: Program, trainee: ProgramTrainee, sessions: list[Session], seats=()):
    """The sessions this trainee is expected at (see ``enrollment.expected``)."""
    own_only = trainee.source in ONLY_OWN_SESSIONS
    out = []
    for s in sessions:
        if s.self_selectable or own_only:
            if s.pk in seats:
                out.append(s)
        elif s.batch is None or s.batch == trainee.batch:
            out.append(s)
    return out


def room_for(session: Session, trainee: ProgramTrainee) -> str:
    """The trainee's own classroom when the session is streamed there, else the session's."""
    venue = trainee.venue
    if venue is not None and (
        venue.pk == session.main_venue_id
        or venue.pk in {v.pk for v in session.sub_venues.all()}
        or session.main_venue_id is None
    ):
        return venue.name
    return session.main_venue.name if session.main_venue else "另行通知"


def _classroom(program: Program, trainee: ProgramTrainee, has_subs: bool) -> str:
    if trainee.venue is not None:
        return trainee.venue.name
    if has_subs:
        return "待分配（分配教室后另行通知）"
    return program.main_venue.name if program.main_venue else "另行通知"


def trainee_schedule(
    program: Program,
    trainee: ProgramTrainee,
    sessions: list[Session],
    *,
    has_subs: bool,
    seats=(),
) -> str:
    """The trainee's part of a 调训通知: batch, classroom and their sessions with rooms."""
    batch = (
        "批次待定（分批后另行通知）"
        if _batch_pending(program, trainee)
        else (f"第{trainee.batch}批" if trainee.batch else "")
    )
    lines = [
        f"培训时间：{program.start_date:%Y年%m月%d日}至{program.end_date:%Y年%m月%d日}"
        + (f"，{batch}" if batch else ""),
        f"上课教室：{_classroom(program, trainee, has_subs)}",
    ]
    mine = sessions_for(program, trainee, sessions, seats)
    if mine:
        pending = "；各批次的课程分批后另行通知" if _batch_pending(program, trainee) else ""
        lines.append(f"您的课表（共 {len(mine)} 次课{pending}）：")
        lines += [f"{_when(s)} {s.title}，{room_for(s, trainee)}" for s in mine[:MAX_LINES]]
        if len(mine) > MAX_LINES:
            lines.append(f"……其余 {len(mine) - MAX_LINES} 次课请点击本消息查看")
    elif _batch_pending(program, trainee):
        lines.append("课表：分批后另行通知。")
    else:
        lines.append("课表：尚未排定，排课后另行通知。")
    return "\n".join(lines)


def lecturer_schedule(program: Program, cadre_id: int, sessions: list[Session]) -> str:
    mine = [s for s in sessions if any(lec.cadre_id == cadre_id for lec in s.lecturers.all())]
    if not mine:
        return "您在本项目中暂无授课安排。"
    lines = [f"您在本项目的授课安排（共 {len(mine)} 次）："]
    for s in mine[:MAX_LINES]:
        batch = f"（第{s.batch}批）" if s.batch else ""
        room = s.main_venue.name if s.main_venue else "地点另行通知"
        lines.append(f"{_when(s)} {s.title}{batch}，{room}")
    return "\n".join(lines)


def trainees_of(program: Program, cadre_ids=None) -> list[ProgramTrainee]:
    qs = children_of(program, ProgramTrainee, "program").select_related("venue", "cadre__unit")
    if cadre_ids is not None:
        qs = qs.filter(cadre_id__in=list(cadre_ids))
    return list(qs.order_by("cadre__unit__path", "cadre__name", "id"))


def seats_of(program: Program, cadre_ids) -> dict[int, set[int]]:
    """Enrolled 自主选学 seats per cadre in this program (one query)."""
    out: dict[int, set[int]] = {}
    seats = children_of(program, Seat, "session__program").filter(
        status=Seat.Status.ENROLLED, cadre_id__in=list(cadre_ids)
    )
    for cadre_id, session_id in seats.values_list("cadre_id", "session_id"):
        out.setdefault(cadre_id, set()).add(session_id)
    return out


def has_sub_venues(program: Program) -> bool:
    return program.sub_venues.through.objects.filter(program_id=program.pk).exists()
