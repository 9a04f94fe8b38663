"""Writes to sessions: one at a time or a whole recurring series, conflict-checked every time.

A change with a blocking conflict is refused; a change with warnings only is refused until the
organizer accepts them (``accept_warnings``). Either way the refusal carries the conflicts, and
nothing is written — a series is saved whole or not at all.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.catalog.models import Course, Lecturer, TeachingForm, Theme
from ganxun.core.bulk import Preview, require_unchanged
from ganxun.core.bulk import fingerprint as bulk_fingerprint
from ganxun.core.scoping import children_of
from ganxun.programs import conflicts, recurrence
from ganxun.programs.dates import local_day
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Consultation, Outline, Program, ProgramUnit, Session, Venue
from ganxun.programs.participation import participation  # 变更待通知, seats
from ganxun.programs.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_manager,
    require_visible,
    set_links,
)
from ganxun.programs.services.outlines import outline_status_join

if TYPE_CHECKING:
    from ganxun.accounts.models import User

# Enrollment and check-in rules a session carries (自主选学 seats, 学时, walk-ins, thresholds).
SESSION_RULES = [
    "credit_hours",
    "self_selectable",
    "capacity",
    "selection_deadline",
    "allow_walk_in",
    "requires_checkout",
    "late_after_minutes",
    "early_leave_minutes",
]
SESSION_FIELDS = [
    "unit",
    "title",
    "course",
    "form",
    "theme",
    "starts_at",
    "ends_at",
    "main_venue",
    "batch",
    "note",
    "outline_due_at",
    "status",
    *SESSION_RULES,
]
SESSION_LINKS = ("lecturers", "sub_venues")


@dataclass
class SessionData:
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    unit: ProgramUnit | None = None
    course: Course | None = None
    # None: from the chosen course (专题讲座 when there is none). Likewise the theme; and no
    # lecturers on a newly chosen course means the course's own.
    form: str | None = None
    theme: Theme | None = None
    lecturers: list[Lecturer] = field(default_factory=list)
    main_venue: Venue | None = None
    sub_venues: list[Venue] = field(default_factory=list)
    batch: int | None = None
    note: str = ""
    outline_due_at: datetime | None = None
    credit_hours: Decimal | None = None
    self_selectable: bool = False
    capacity: int | None = None
    selection_deadline: datetime | None = None
    allow_walk_in: bool = False
    requires_checkout: bool = False
    late_after_minutes: int = 10
    early_leave_minutes: int = 10


class ConflictError(ProgramError):
    """Refused because of conflicts; ``conflicts`` lists them for the page to show."""

    status = 409

    def __init__(self, found: list[conflicts.Conflict], *, blocking: bool):
        if blocking:
            code, message = "conflicts", _("存在冲突，未保存：请按提示调整后再保存。")
        else:
            code, message = "warnings", _("请确认以下提示后再保存。")
        super().__init__(code, message, conflicts=[c.__dict__ for c in found])
        self.conflicts = found
        self.blocking = blocking


def _validate(
    actor: "User", program: Program, data: SessionData, session: Session | None = None
) -> SessionData:
    if data.course is not None:
        require_visible(actor, Course, [data.course], field="course", label=_("课程"))
    if data.theme is not None:
        require_visible(actor, Theme, [data.theme], field="theme", label=_("专题"))
    _from_course(actor, data, session)
    data.title = clean_text(
        data.title or (data.course.title if data.course else ""),
        field="title",
        label=_("课题（或选择课程）"),
        max_length=200,
    )
    if data.form not in TeachingForm.values:
        raise ProgramError("invalid_form", _("请选择教学形式。"), field="form")
    if data.ends_at <= data.starts_at:
        raise ProgramError("invalid_time", _("结束时间须晚于开始时间。"), field="ends_at")
    if data.unit is not None and data.unit.program_id != program.pk:
        raise ProgramError("invalid_unit", _("所选单元不属于本项目。"), field="unit")
    if data.batch is not None and not 1 <= data.batch <= program.batch_count:
        raise ProgramError(
            "invalid_batch",
            _("本项目分 %(batch_count)s 批，参训批次应在 1 到 %(batch_count)s 之间。")
            % {"batch_count": program.batch_count},
            field="batch",
        )
    require_visible(actor, Lecturer, data.lecturers, field="lecturers", label=_("授课教师"))
    venues = [data.main_venue, *data.sub_venues]
    require_visible(actor, Venue, venues, field="main_venue", label=_("教室"))
    data.note = clean_text(data.note, field="note", label=_("备注"), required=False, max_length=300)
    _check_rules(data)
    return data


def _from_course(actor: "User", data: SessionData, session: Session | None) -> None:
    """What a session takes from its course unless the organizer set it: teaching form, theme,
    and — when the course is newly chosen and no lecturer is given — the course's lecturers
    (those the actor may assign)."""
    course = data.course
    if data.form is None:
        data.form = course.form if course is not None else TeachingForm.LECTURE
    if course is None:
        return
    if data.theme is None and course.theme_id:
        data.theme = course.theme
    newly_chosen = session is None or session.course_id != course.pk
    if newly_chosen and not data.lecturers:
        data.lecturers = list(
            Lecturer.objects.visible_to(actor).filter(courses=course, is_active=True).order_by("pk")
        )


def _check_rules(data: SessionData) -> None:
    if data.credit_hours is not None and not Decimal(0) < data.credit_hours <= 24:
        raise ProgramError("invalid_hours", _("学时应大于 0 且不超过 24。"), field="credit_hours")
    if data.self_selectable and not data.capacity:
        raise ProgramError("capacity_required", _("自主选学课次须填写名额。"), field="capacity")
    if data.selection_deadline and data.selection_deadline > data.starts_at:
        raise ProgramError(
            "invalid_deadline", _("选课/退课截止不能晚于开课时间。"), field="selection_deadline"
        )
    span = (data.ends_at - data.starts_at).total_seconds() / 60
    if data.late_after_minutes > span or data.early_leave_minutes > span:
        raise ProgramError(
            "invalid_threshold",
            _("迟到/早退判定分钟数不能超过课次时长。"),
            field="late_after_minutes",
        )


def candidate(program: Program, data: SessionData, pk: int | None = None) -> conflicts.Candidate:
    return conflicts.Candidate(
        program=program,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        title=data.title,
        pk=pk,
        unit=data.unit,
        batch=data.batch,
        lecturer_ids={lec.pk for lec in data.lecturers},
        main_venue_id=data.main_venue.pk if data.main_venue else None,
        sub_venue_ids={v.pk for v in data.sub_venues},
    )


def _gate(found: list[conflicts.Conflict], accept_warnings: bool) -> list[conflicts.Conflict]:
    """Refuse on a blocking conflict, or on warnings not yet accepted; else pass them on."""
    if any(c.blocking for c in found):
        raise ConflictError([c for c in found if c.blocking], blocking=True)
    if found and not accept_warnings:
        raise ConflictError(found, blocking=False)
    return found


EDITABLE = [name for name in SESSION_FIELDS if name != "status"]


def _write(session: Session, data: SessionData) -> None:
    for name in EDITABLE:
        setattr(session, name, getattr(data, name))
    if session.pk:
        # Only what the form edits: the outline's state moves on its own (review in progress).
        session.save(update_fields=[*EDITABLE, "updated_at"])
    else:
        session.save()
    set_links(session, "lecturers", data.lecturers)
    set_links(session, "sub_venues", data.sub_venues)


@transaction.atomic
def session_save(
    *,
    actor: "User",
    program: Program,
    data: SessionData,
    session: Session | None = None,
    accept_warnings: bool = False,
) -> tuple[Session, list[conflicts.Conflict]]:
    """Create or change a session. Returns it with the warnings the organizer accepted."""
    require_manager(actor, program)
    if session is not None and session.program_id != program.pk:
        raise ProgramError("invalid_session", _("该课次不属于本项目。"))
    data = _validate(actor, program, data, session)
    found = conflicts.check(
        [candidate(program, data, session.pk if session else None)], actor=actor
    )
    warnings = _gate(found, accept_warnings)
    _check_seats_taken(session, data)
    before = full_snapshot(session, SESSION_FIELDS, SESSION_LINKS) if session else {}
    old_lecturers = _lecturer_cadre_ids(session) if session else set()
    session = session or Session(program=program)
    _write(session, data)
    outline_status_join(session)
    after = full_snapshot(session, SESSION_FIELDS, SESSION_LINKS)
    record(actor, "update" if before else "create", session, before, after)
    participation().session_change_record(actor=actor, session=session, before=before, after=after)
    if before and sorted(before["lecturers"]) != sorted(after["lecturers"]):
        _lecturers_change_record(actor, session, before, after, old_lecturers)
    if before and session.self_selectable and (data.capacity or 0) > (before["capacity"] or 0):
        # More seats: the waitlist moves up now, oldest first (自主选学).
        participation().seats_promote(actor=actor, session=session)
    return session, warnings


def _lecturer_cadre_ids(session: Session) -> set[int]:
    """The roster cadres of the session's lecturers (those a notice can reach)."""
    through = Session.lecturers.through.objects.filter(session_id=session.pk)
    return set(
        through.filter(lecturer__cadre__isnull=False).values_list("lecturer__cadre_id", flat=True)
    )


def _lecturers_change_record(actor: "User", session: Session, before, after, old: set) -> None:
    """A change of lecturer is a timetable change too (变更待通知): the expected trainees,
    the lecturer who no longer teaches it and the one who now does are told."""
    none = "未定"
    summary = "课程《{title}》授课教师由{old}改为{new}".format(
        title=session.title,
        old="、".join(before["lecturers"]) or none,
        new="、".join(after["lecturers"]) or none,
    )
    participation().schedule_change_record(
        actor=actor,
        program=session.program,
        kind="session_changed",
        summary=summary,
        trainee_cadre_ids=participation().expected_cadre_ids(session),
        lecturer_cadre_ids=old | _lecturer_cadre_ids(session),
    )


def _check_seats_taken(session: Session | None, data: SessionData) -> None:
    """Seats already given cannot be taken back by lowering the capacity."""
    if session is None or not data.self_selectable:
        return
    taken = participation().enrolled_seats().filter(session=session).count()
    if taken > (data.capacity or 0):
        raise ProgramError(
            "capacity_below_taken",
            _("已有 %(taken)s 人选上本课次，名额不能少于 %(taken)s。") % {"taken": taken},
            field="capacity",
        )


@transaction.atomic
def session_cancel(*, actor: "User", session: Session) -> Session:
    """Called off: kept on record with its outline and consultation, gone from calendars."""
    require_manager(actor, session.program)
    before = full_snapshot(session, ["status"])
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    record(actor, "update", session, before, full_snapshot(session, ["status"]))
    participation().session_change_record(
        actor=actor, session=session, before=before, after={"status": session.status}
    )
    return session


@transaction.atomic
def session_delete(*, actor: "User", session: Session) -> None:
    """Remove a session entered by mistake; one with an outline on record is cancelled instead."""
    require_manager(actor, session.program)

    history = children_of(session, Outline, "session").exists()
    if history or children_of(session, Consultation, "session").exists():
        raise ProgramError(
            "session_has_history",
            _("该课次已有授课提纲或三方研议记录，不能删除；如不再开课，请改为“取消”。"),
        )
    record(actor, "delete", session, full_snapshot(session, SESSION_FIELDS, SESSION_LINKS), {})
    participation().session_change_record(
        actor=actor,
        session=session,
        before={"status": session.status},
        after={"status": "cancelled"},
    )
    session.delete()


# --- copying to another batch ----------------------------------------------------------------


def session_copy_data(session: Session) -> SessionData:
    """Everything a session's copy carries: course, title, teaching form, theme, lecturers,
    classrooms, note and rules (the outline is shared by course and lecturer: outline_groups)."""
    return SessionData(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        title=session.title,
        unit=session.unit,
        course=session.course,
        form=session.form,
        theme=session.theme,
        lecturers=list(
            # scope: the lecturers already on the held session, copied as they are
            Lecturer._base_manager.filter(
                pk__in=Session.lecturers.through.objects.filter(session=session).values(
                    "lecturer_id"
                )
            ).order_by("pk")
        ),
        main_venue=session.main_venue,
        sub_venues=list(
            # scope: the classrooms already on the held session, copied as they are
            Venue._base_manager.filter(
                pk__in=Session.sub_venues.through.objects.filter(session=session).values("venue_id")
            ).order_by("pk")
        ),
        batch=session.batch,
        note=session.note,
        outline_due_at=session.outline_due_at,
        **{name: getattr(session, name) for name in SESSION_RULES},
    )


def session_copy(
    *,
    actor: "User",
    session: Session,
    batch: int | None,
    starts_at: datetime,
    ends_at: datetime,
    accept_warnings: bool = False,
) -> tuple[Session, list[conflicts.Conflict]]:
    """The same session for another batch at another time (batch 2 on Sunday what batch 1 had
    on Saturday), checked like any new session; it joins the original's outline group."""
    program = session.program
    require_manager(actor, program)
    if session.status != Session.Status.SCHEDULED:
        raise ProgramError("invalid_session", _("已取消的课次不能复制。"))
    if program.batch_count < 2:
        raise ProgramError("no_batches", _("本项目不分批，没有其他批次可复制。"), field="batch")
    if batch is None or not 1 <= batch <= program.batch_count:
        raise ProgramError(
            "invalid_batch",
            _("本项目分 %(batch_count)s 批，请选择 1 到 %(batch_count)s 之间的批次。")
            % {"batch_count": program.batch_count},
            field="batch",
        )
    if batch == session.batch:
        raise ProgramError(
            "same_batch",
            _("该课次已排给第%(batch)s批，请选择另一个批次。") % {"batch": batch},
            field="batch",
        )
    data = replace(session_copy_data(session), starts_at=starts_at, ends_at=ends_at, batch=batch)
    units = list(children_of(program, ProgramUnit, "program").order_by("start_date"))
    data.unit = _unit_for(units, local_day(starts_at)) or session.unit
    copy, warnings = session_save(
        actor=actor, program=program, data=data, accept_warnings=accept_warnings
    )
    return copy, warnings


# --- recurring series ------------------------------------------------------------------------


@dataclass
class SeriesData:
    rule: recurrence.Rule
    start_time: time
    end_time: time
    template: SessionData  # everything but the times; ``unit`` None means "by date"
    unit_by_date: bool = True
    # Each batch in one step: batch 1 on the rule's dates, batch 2 that many days later, and so
    # on (0: the same day). None: the template's batch only.
    batch_gap_days: int | None = None


def _at(day, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _unit_for(units: list[ProgramUnit], day) -> ProgramUnit | None:
    return next((u for u in units if u.start_date <= day <= u.end_date), None)


def _plan(actor: "User", program: Program, series: SeriesData) -> tuple[list[SessionData], list]:
    """The sessions a rule would create, each validated, and the program's units."""
    require_manager(actor, program)
    if series.end_time <= series.start_time:
        raise ProgramError("invalid_time", _("结束时间须晚于开始时间。"), field="end_time")
    days = recurrence.dates(series.rule)
    units = list(children_of(program, ProgramUnit, "program").order_by("start_date"))
    planned: list[SessionData] = []
    for day, batch in _days_and_batches(program, series, days):
        data = replace(
            series.template,
            starts_at=_at(day, series.start_time),
            ends_at=_at(day, series.end_time),
            lecturers=list(series.template.lecturers),
            sub_venues=list(series.template.sub_venues),
            batch=batch,
        )
        if series.unit_by_date:
            data.unit = _unit_for(units, day)
        planned.append(_validate(actor, program, data))
    return planned, units


def _days_and_batches(program: Program, series: SeriesData, days: list) -> list[tuple]:
    """The rule's dates, or with ``batch_gap_days`` each date once per batch, shifted."""
    gap = series.batch_gap_days
    if gap is None:
        return [(day, series.template.batch) for day in days]
    if program.batch_count < 2:
        raise ProgramError(
            "no_batches", _("本项目不分批，无需每批各排一次。"), field="batch_gap_days"
        )
    if not 0 <= gap <= 31:
        raise ProgramError(
            "invalid_gap", _("批次之间错开的天数应在 0 到 31 之间。"), field="batch_gap_days"
        )
    total = len(days) * program.batch_count
    if total > recurrence.MAX_SESSIONS:
        raise ProgramError(
            "too_many_sessions",
            _(
                "该规则每批 %(n_days)s 次、共 %(batch_count)s"
                " 批，将生成 %(total)s 次课，超过单次上限 %(max_sessions)s"
                " 次；请缩短日期范围后分批生成。"
            )
            % {
                "n_days": len(days),
                "batch_count": program.batch_count,
                "total": total,
                "max_sessions": recurrence.MAX_SESSIONS,
            },
            field="until",
        )
    return [
        (day + timedelta(days=gap * (b - 1)), b) for day in days for b in program.batch_numbers()
    ]


def _series_fingerprint(planned: list[SessionData]) -> str:
    return bulk_fingerprint(f"{d.starts_at.isoformat()}|{d.batch}" for d in planned)


def sessions_generate_preview(*, actor: "User", program: Program, series: SeriesData) -> Preview:
    """What a recurring rule would create — how many sessions, by unit, first and last date —
    before anything is written."""
    planned, _units = _plan(actor, program, series)
    by_unit = Counter(
        (str(d.unit) if d.unit else _("不属于任何单元"))
        + (_("·第%(batch)s批") % {"batch": d.batch} if series.batch_gap_days is not None else "")
        for d in planned
    )
    notes = []
    if planned:
        first, last = planned[0], planned[-1]
        notes.append(
            _("从 %(when_label)s 到 %(when_label2)s。")
            % {
                "when_label": conflicts.when_label(first.starts_at, first.ends_at),
                "when_label2": conflicts.when_label(last.starts_at, last.ends_at),
            }
        )
    return Preview(
        title=_("生成 %(n_planned)s 次课") % {"n_planned": len(planned)},
        total=len(planned),
        fingerprint=_series_fingerprint(planned),
        groups=list(by_unit.items()),
        group_label=_("单元") if series.batch_gap_days is None else _("单元·批次"),
        notes=notes,
    )


@transaction.atomic
def sessions_generate(
    *,
    actor: "User",
    program: Program,
    series: SeriesData,
    accept_warnings: bool = False,
    fingerprint: str | None = None,
) -> tuple[list[Session], list[conflicts.Conflict]]:
    """Create every session of a recurring rule in one step, all checked, all or nothing. With
    ``fingerprint`` (from the preview), only if the rule still gives the dates previewed."""
    planned, units = _plan(actor, program, series)
    require_unchanged(_series_fingerprint(planned), fingerprint, ProgramError)
    found = conflicts.check([candidate(program, d) for d in planned], actor=actor)
    if series.unit_by_date and units:
        found += _outside_every_unit(planned)
    warnings = _gate(found, accept_warnings)
    created = []
    for data in planned:
        session = Session(program=program)
        _write(session, data)
        outline_status_join(session)
        created.append(session)
    record(
        actor,
        "update",
        program,
        {},
        {"sessions_generated": len(created), "rule": recurrence.describe(series.rule)},
    )
    participation().sessions_added_record(actor=actor, program=program, sessions=created)
    return created, warnings


def _outside_every_unit(planned: list[SessionData]) -> list[conflicts.Conflict]:
    return [
        conflicts.Conflict(
            "outside_unit",
            True,
            _("%(when_label)s 不在任何单元的日期范围内。")
            % {"when_label": conflicts.when_label(d.starts_at, d.ends_at)},
            i,
        )
        for i, d in enumerate(planned)
        if d.unit is None
    ]
