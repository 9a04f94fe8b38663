"""自主选学: picking and cancelling seats on self-selectable sessions.

Each pick or cancel locks the session row first (``SELECT … FOR UPDATE``), then counts the
enrolled seats. Picks on one session are therefore served one at a time: the first
``capacity`` are enrolled, the rest waitlisted in the order they got the lock, and the seat ids
(handed out under the lock) keep that order for promotion — oldest waitlisted first.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, refetch
from ganxun.enrollment import policies
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import Seat, SelectionRule
from ganxun.enrollment.services.common import (
    accounts_of,
    notify,
    record,
    require_open_program,
)
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program, ProgramTrainee, Session

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def selection_closes_at(session: Session) -> datetime:
    """Picks and cancellations close at the deadline, or when the class starts."""
    return session.selection_deadline or session.starts_at


def _lock_session(session: Session) -> Session:
    """The session row, locked until the transaction ends: picks and cancels on one session
    are served one at a time. The program (not locked) comes along from ``session``."""
    locked = refetch(session, lock=True)
    if session.program_id == locked.program_id and "program" in session._state.fields_cache:
        locked.program = session.program
    else:
        # scope: the program of the held session being locked (a trainee may not see it yet)
        locked.program = Program._base_manager.select_related("org").get(pk=locked.program_id)
    return locked


def _require_selectable(session: Session, now: datetime) -> None:
    if not session.self_selectable or session.status != Session.Status.SCHEDULED:
        raise EnrollmentError("not_selectable", _("该课程不在自主选学菜单中。"))
    require_open_program(session.program)
    if now >= selection_closes_at(session):
        closes = timezone.localtime(selection_closes_at(session))
        raise EnrollmentError(
            "selection_closed",
            _("选课/退课已于 %(closes)s 截止。") % {"closes": date_format(closes, _("m月d日 H:i"))},
        )


def _live_seats(cadre_id: int):
    # scope: the live seats of the cadre the service acts for, across programs (limits, clashes)
    return Seat._base_manager.filter(cadre_id=cadre_id, status__in=Seat.LIVE)


def _check_limits(cadre: Cadre, session: Session) -> None:
    """The organizer's per-program and per-year caps on how many sessions one trainee holds."""
    program = session.program
    ancestors = [*program.org.ancestor_ids, program.org_id]
    # scope: the caps set for this program and by its organizer's units bind every trainee
    rules = SelectionRule._base_manager.filter(
        Q(period=SelectionRule.Period.PROGRAM, program=program)
        | Q(period=SelectionRule.Period.YEAR, org_id__in=ancestors)
    ).select_related("org")
    for rule in rules:
        held = _live_seats(cadre.pk)
        if rule.period == SelectionRule.Period.PROGRAM:
            held = held.filter(session__program=program)
            scope = "本项目"
        else:
            year = timezone.localtime(session.starts_at).year
            held = held.filter(
                session__program__org__path__startswith=rule.org.path,
                session__starts_at__year=year,
            )
            scope = f"{year}年"
        if held.count() >= rule.max_picks:
            raise EnrollmentError(
                "limit_reached",
                _("已达选课上限：%(scope)s每人最多选 %(max_picks)s 门（含候补）。")
                % {"scope": scope, "max_picks": rule.max_picks},
                limit=rule.max_picks,
            )


def _check_clash(cadre: Cadre, session: Session) -> None:
    clash = (
        _live_seats(cadre.pk)
        .filter(status=Seat.Status.ENROLLED)
        .exclude(session=session)  # the same session again is "already picked", said later
        .filter(session__starts_at__lt=session.ends_at, session__ends_at__gt=session.starts_at)
        .select_related("session")
        .first()
    )
    if clash:
        raise EnrollmentError(
            "time_clash",
            _("与已选的“%(title)s”时间冲突，请先退选其一。") % {"title": clash.session.title},
        )


def _ensure_trainee(session: Session, cadre_id: int) -> None:
    """An enrolled pick makes the cadre a participant of the program (if not one already)."""
    # scope: the participant row an enrolled pick on a held session makes (the caller checked)
    ProgramTrainee._base_manager.get_or_create(
        program_id=session.program_id,
        cadre_id=cadre_id,
        defaults={"source": ProgramTrainee.Source.SELF_SELECTED},
    )


def _release_trainee(session: Session, cadre_id: int) -> None:
    """Leaving the last enrolled session of a program removes a self-selection-only trainee."""
    # scope: the cadre's own enrolled seats in the held session's program, counted
    still = Seat._base_manager.filter(
        session__program_id=session.program_id, cadre_id=cadre_id, status=Seat.Status.ENROLLED
    )
    if not still.exists():
        # scope: that cadre's self-selection-only participant row in the held session's program
        ProgramTrainee._base_manager.filter(
            program_id=session.program_id,
            cadre_id=cadre_id,
            source=ProgramTrainee.Source.SELF_SELECTED,
        ).delete()


def _enrolled_count(session: Session) -> int:
    return children_of(session, Seat, "session").filter(status=Seat.Status.ENROLLED).count()


def has_room(session: Session, enrolled: int) -> bool:
    return session.capacity is None or enrolled < session.capacity


@transaction.atomic
def seat_pick(*, actor: "User", session: Session) -> Seat:
    """A trainee picks a session: enrolled while seats last, waitlisted after."""
    if not policies.can_select(actor):
        raise PermissionDenied()
    assert actor.cadre_id is not None  # can_select requires a cadre
    # scope: the actor's own roster record
    cadre = Cadre._base_manager.select_related("unit").get(pk=actor.cadre_id)
    # The trainee's own checks first, without the lock: they do not depend on other picks,
    # and the lock is held only for the count and the insert.
    session = refetch(session, related=("program__org",))
    _require_selectable(session, timezone.now())
    if not policies.may_pick_in(cadre, session.program):
        raise EnrollmentError(
            "not_in_scope",
            _("该课程只面向“%(name)s”的干部，您不能选。") % {"name": session.program.org.name},
        )
    _check_limits(cadre, session)
    _check_clash(cadre, session)
    session = _lock_session(session)
    _require_selectable(session, timezone.now())  # again: the organizer may have changed it
    mine = _live_seats(cadre.pk).filter(session=session).first()
    if mine:
        raise EnrollmentError(
            "already_picked",
            _("您已选过这门课（%(get_status_display)s）。")
            % {"get_status_display": mine.get_status_display()},
            seat=mine.pk,
        )
    room = has_room(session, _enrolled_count(session))
    status = Seat.Status.ENROLLED if room else Seat.Status.WAITLISTED
    seat = Seat.objects.create(session=session, cadre=cadre, status=status)
    if status == Seat.Status.ENROLLED:
        _ensure_trainee(session, cadre.pk)
    record(actor, "create", seat, {}, {"status": status})
    return seat


def _promote(session: Session) -> list[Seat]:
    """Fill free seats from the waitlist, oldest first; each promoted trainee is told."""
    waiting = children_of(session, Seat, "session").filter(status=Seat.Status.WAITLISTED)
    waiting = waiting.order_by("id")
    if session.capacity is not None:
        free = max(0, session.capacity - _enrolled_count(session))
        waiting = waiting[:free]
    promoted = list(waiting)
    for seat in promoted:
        seat.status, seat.promoted_at = Seat.Status.ENROLLED, timezone.now()
        seat.save(update_fields=["status", "promoted_at"])
        _ensure_trainee(session, seat.cadre_id)
    if promoted:
        start = timezone.localtime(session.starts_at)
        notify(
            accounts_of([s.cadre_id for s in promoted]),
            kind="seat_promoted",
            context={"session": session.title, "when": f"{start:%m月%d日 %H:%M}"},
            program=session.program,
            url=reverse("enrollment:my_seats"),
        )
    return promoted


@transaction.atomic
def seat_cancel(*, actor: "User", seat: Seat) -> Seat:
    """The trainee (before the deadline) or the organizer cancels; the freed seat goes to the
    oldest waitlisted trainee at once."""
    session = _lock_session(seat.session)
    seat = refetch(seat, lock=True)
    organizer = policies.can_manage_quotas(actor, session.program)
    if not organizer and actor.cadre_id != seat.cadre_id:
        raise PermissionDenied()
    if seat.status not in Seat.LIVE:
        raise EnrollmentError("not_live", _("这门课已经退选过了。"))
    if not organizer:
        _require_selectable(session, timezone.now())
    was_enrolled = seat.status == Seat.Status.ENROLLED
    seat.status, seat.cancelled_at = Seat.Status.CANCELLED, timezone.now()
    seat.save(update_fields=["status", "cancelled_at"])
    if was_enrolled:
        _release_trainee(session, seat.cadre_id)
        _promote(session)
    record(
        actor,
        "update",
        seat,
        {"status": "enrolled" if was_enrolled else "waitlisted"},
        {"status": "cancelled"},
    )
    return seat


@transaction.atomic
def seats_promote(*, actor: "User", session: Session) -> list[Seat]:
    """After the organizer raised the capacity: move the waitlist up to fill it."""
    session = _lock_session(session)
    if not policies.can_manage_quotas(actor, session.program):
        raise PermissionDenied()
    promoted = _promote(session)
    if promoted:
        record(actor, "update", session, {}, {"seats_promoted": len(promoted)})
    return promoted


@transaction.atomic
def selection_rules_save(
    *, actor: "User", program: Program, per_program: int | None, per_year: int | None
) -> None:
    """Set (or clear, with None) the per-program and the per-year cap for this program's org."""
    if not policies.can_manage_quotas(actor, program):
        raise PermissionDenied()
    for value, label in ((per_program, "per_program"), (per_year, "per_year")):
        if value is not None and not 1 <= value <= 100:
            raise EnrollmentError(
                "invalid_limit", _("选课上限应在 1 到 100 之间（留空表示不限）。"), field=label
            )
    specs: list[tuple[str, dict[str, Any], int | None]] = [
        (SelectionRule.Period.PROGRAM, {"program": program, "org": program.org}, per_program),
        (SelectionRule.Period.YEAR, {"program": None, "org": program.org}, per_year),
    ]
    for period, keys, value in specs:
        # scope: the rules of a program the organizer manages (checked above), by their keys
        qs = SelectionRule._base_manager.filter(period=period, **keys)
        if value is None:
            qs.delete()
            continue
        rule = qs.first() or SelectionRule(period=period, created_by=actor, **keys)
        before = {"max_picks": rule.max_picks} if rule.pk else {}
        rule.max_picks = value
        rule.save()
        record(actor, "update" if before else "create", rule, before, {"max_picks": value})
