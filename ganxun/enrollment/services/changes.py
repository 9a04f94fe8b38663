"""Notices stay true: the 调训通知 at confirmation, and one grouped update per affected person
after the timetable changes.

The services that change a timetable (programs: batching, classroom assignment, a session's
time, room, batch or cancellation) call ``schedule_change_record`` / ``session_change_record``
inside their transaction. Nothing is sent then: the organizer sees "N 项变更待通知", previews who
gets what (``changes_preview``) and confirms (``changes_notify``) — each affected trainee,
lecturer and unit contact gets one notice listing every pending change that touches them, with
the trainee's or lecturer's schedule rendered from what is true now (``enrollment.schedule``).
Notices to trainees and lecturers are addressed to their roster cadre, so an account created
later still receives them."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role, User
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.enrollment import kinds, schedule
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.expected import expected_cadre_ids
from ganxun.enrollment.models import ScheduleChange
from ganxun.enrollment.services.common import require_open_program
from ganxun.messaging import outbox, templates
from ganxun.orgs.models import Cadre
from ganxun.programs import policies as program_policies
from ganxun.programs.models import Program, ProgramTrainee, Session

K = ScheduleChange.Kind


# --- recording (called by programs' services) -------------------------------------------------


def _has_trainees(program: Program) -> bool:
    return children_of(program, ProgramTrainee, "program").exists()


def schedule_change_record(
    *,
    actor: User,
    program: Program,
    kind: str,
    summary: str,
    trainee_cadre_ids=None,
    lecturer_cadre_ids=(),
) -> ScheduleChange | None:
    """Remember a change to tell later. ``trainee_cadre_ids`` None: every trainee. Nothing is
    recorded when nobody could have been told yet (no trainees, no lecturers affected)."""
    lecturers = sorted({c for c in lecturer_cadre_ids if c})
    trainees = None if trainee_cadre_ids is None else sorted(set(trainee_cadre_ids))
    if not _has_trainees(program) and not lecturers:
        return None
    if trainees == [] and not lecturers:
        return None
    return ScheduleChange.objects.create(
        program=program,
        kind=kind,
        summary=summary[:300],
        trainee_cadre_ids=trainees,
        lecturer_cadre_ids=lecturers,
        created_by=actor,
    )


def _lecturer_cadres(session_ids) -> set[int]:
    """The roster cadres of the sessions' lecturers (read through the plain link table)."""
    through = Session.lecturers.through
    return set(
        through.objects.filter(
            session_id__in=session_ids, lecturer__cadre__isnull=False
        ).values_list("lecturer__cadre_id", flat=True)
    )


def _local(value) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{timezone.localtime(value):%m月%d日 %H:%M}" if value else "—"


def _batch(value) -> str:
    return f"第{value}批" if value else "全体学员"


def _own_batch(value) -> str:
    return f"第{value}批" if value else "未分批"


def session_change_record(*, actor: User, session: Session, before: dict, after: dict):
    """A session created, moved, re-roomed, re-batched or cancelled (``before``/``after`` are
    the audit snapshots the programs service already takes)."""
    title = f"《{session.title}》"
    lecturers = _lecturer_cadres([session.pk])
    trainees = set(expected_cadre_ids(session))
    if not before:
        kind, text = K.SESSION_NEW, f"新增课程{title}：{_local(session.starts_at)}"
    elif after.get("status") == Session.Status.CANCELLED and before.get("status") != after.get(
        "status"
    ):
        kind, text = K.SESSION_CANCELLED, f"取消课程{title}（原定{_local(session.starts_at)}）"
    else:
        parts = []
        if before.get("starts_at") != after.get("starts_at") or before.get("ends_at") != after.get(
            "ends_at"
        ):
            parts.append(f"时间由{_local(before['starts_at'])}改为{_local(after['starts_at'])}")
        if before.get("main_venue") != after.get("main_venue") or sorted(
            before.get("sub_venues") or []
        ) != sorted(after.get("sub_venues") or []):
            parts.append(
                f"地点由{before.get('main_venue') or '未定'}改为{after.get('main_venue') or '未定'}"
            )
        if before.get("batch") != after.get("batch"):
            parts.append(f"参训批次由{_batch(before['batch'])}改为{_batch(after['batch'])}")
            trainees |= set(
                children_of(session.program, ProgramTrainee, "program")
                .filter(Q(batch=before["batch"]) if before["batch"] else Q())
                .values_list("cadre_id", flat=True)
            )
        if not parts:
            return None
        kind, text = K.SESSION_CHANGED, f"课程{title}" + "，".join(parts)
    return schedule_change_record(
        actor=actor,
        program=session.program,
        kind=kind,
        summary=text,
        trainee_cadre_ids=trainees,
        lecturer_cadre_ids=lecturers,
    )


def trainee_batch_change_record(*, actor: User, trainee: ProgramTrainee, batch: int | None):
    """One trainee moved by hand (call before the row changes: ``trainee.batch`` is the old)."""
    if trainee.batch == batch:
        return None
    return schedule_change_record(
        actor=actor,
        program=trainee.program,
        kind=K.TRAINEE_BATCH,
        summary=f"{trainee.cadre.name}由{_own_batch(trainee.batch)}调整为{_own_batch(batch)}",
        trainee_cadre_ids=[trainee.cadre_id],
    )


def sessions_added_record(*, actor: User, program: Program, sessions: list[Session]):
    """A recurring series created at once: one change for all its sessions."""
    if not sessions:
        return None
    batches = {s.batch for s in sessions}
    trainees = children_of(program, ProgramTrainee, "program")
    if None not in batches:
        trainees = trainees.filter(batch__in=batches)
    lecturers = _lecturer_cadres([s.pk for s in sessions])
    first, last = sessions[0], sessions[-1]
    return schedule_change_record(
        actor=actor,
        program=program,
        kind=K.SESSION_NEW,
        summary=f"新增课程{first.title}等 {len(sessions)} 次"
        f"（{_local(first.starts_at)} 至 {_local(last.starts_at)}）",
        trainee_cadre_ids=trainees.values_list("cadre_id", flat=True),
        lecturer_cadre_ids=lecturers,
    )


# --- who gets what ----------------------------------------------------------------------------


@dataclass
class Outgoing:
    """One notice to be sent: to a cadre (trainee, lecturer) or to a contact's account."""

    role: str  # 学员 / 授课教师 / 单位联络员
    name: str
    unit: str
    title: str
    body: str
    cadre_id: int | None = None
    user: User | None = None
    changes: list[str] = field(default_factory=list)
    kind: str = ""  # enrollment/kinds.py; title and body are its rendering of ``context``
    context: dict = field(default_factory=dict)


class _Texts:
    """The program's org's wording of each kind, looked up once per preview."""

    def __init__(self, program: Program):
        self.org_id = program.org_id
        self.renderers: dict = {}

    def __call__(self, kind: str, context: dict) -> tuple[str, str]:
        if kind not in self.renderers:
            self.renderers[kind] = templates.renderer(kind, org_id=self.org_id)
        text = self.renderers[kind](context)
        return text.title, text.body


def _lines(changes: list[str]) -> str:
    return "\n".join(f"· {m}" for m in changes)


def pending_changes(program: Program) -> list[ScheduleChange]:
    return list(
        children_of(program, ScheduleChange, "program")
        .filter(notified_at__isnull=True)
        .order_by("created_at", "id")
    )


def pending_count(program: Program) -> int:
    return children_of(program, ScheduleChange, "program").filter(notified_at__isnull=True).count()


def _contacts_by_unit(trainees: list[ProgramTrainee], program: Program) -> dict[int, list[User]]:
    """Each trainee unit's contacts: of the unit and of units above it inside the program's
    org (one query)."""
    chains = {t.cadre.unit.pk: [*t.cadre.unit.ancestor_ids, t.cadre.unit.pk] for t in trainees}
    top = program.org
    org_ids = {o for chain in chains.values() for o in chain}
    contacts = list(
        User.objects.filter(
            is_active=True,
            org_id__in=org_ids,
            org__path__startswith=top.path,
            role_grants__role=Role.UNIT_CONTACT,
        )
        .select_related("org")
        .distinct()
    )
    out: dict[int, list[User]] = {}
    for unit_id, chain in chains.items():
        out[unit_id] = [u for u in contacts if u.org_id in chain]
    return out


def changes_preview(
    program: Program, changes: list[ScheduleChange] | None = None
) -> list[Outgoing]:
    """Every notice the pending changes would send, grouped per person, in bounded queries."""
    changes = pending_changes(program) if changes is None else changes
    if not changes:
        return []
    everyone = any(c.trainee_cadre_ids is None for c in changes)
    wanted = set().union(*(set(c.trainee_cadre_ids or []) for c in changes))
    trainees = schedule.trainees_of(program, None if everyone else wanted)
    sessions = schedule.program_sessions(program)
    seats = schedule.seats_of(program, [t.cadre_id for t in trainees])
    has_subs = schedule.has_sub_venues(program)
    texts = _Texts(program)
    out: list[Outgoing] = []
    touched_by_unit: dict[int, list[ProgramTrainee]] = {}
    reach = [
        (c.summary, None if c.trainee_cadre_ids is None else set(c.trainee_cadre_ids))
        for c in changes
    ]
    for t in trainees:
        mine = [text for text, ids in reach if ids is None or t.cadre_id in ids]
        if not mine:
            continue
        context = {
            "program": program.full_name,
            "changes": _lines(mine),
            "schedule": schedule.trainee_schedule(
                program, t, sessions, has_subs=has_subs, seats=seats.get(t.cadre_id, ())
            ),
        }
        kind = kinds.SCHEDULE_CHANGED.code
        title, body = texts(kind, context)
        out.append(
            Outgoing(
                "学员",
                t.cadre.name,
                t.cadre.unit.name,
                title,
                body,
                cadre_id=t.cadre_id,
                changes=mine,
                kind=kind,
                context=context,
            )
        )
        touched_by_unit.setdefault(t.cadre.unit.pk, []).append(t)
    out += _lecturer_notices(program, changes, sessions, texts)
    out += _contact_notices(program, changes, touched_by_unit, texts)
    return out


def _lecturer_notices(program, changes, sessions, texts: _Texts) -> list[Outgoing]:
    ids = sorted({c for ch in changes for c in ch.lecturer_cadre_ids or []})
    names = dict(
        # scope: the names of the lecturers a held program's change records name, to address them
        Cadre._base_manager.filter(pk__in=ids).select_related("unit").values_list("pk", "name")
    )
    out = []
    kind = kinds.LECTURER_SCHEDULE_CHANGED.code
    for cadre_id in ids:
        mine = [c.summary for c in changes if cadre_id in (c.lecturer_cadre_ids or [])]
        context = {
            "program": program.full_name,
            "changes": _lines(mine),
            "schedule": schedule.lecturer_schedule(program, cadre_id, sessions),
        }
        title, body = texts(kind, context)
        out.append(
            Outgoing(
                "授课教师",
                names.get(cadre_id, ""),
                "",
                title,
                body,
                cadre_id=cadre_id,
                changes=mine,
                kind=kind,
                context=context,
            )
        )
    return out


def _contact_notices(program, changes, touched_by_unit, texts: _Texts) -> list[Outgoing]:
    if not touched_by_unit:
        return []
    contacts = _contacts_by_unit([t for ts in touched_by_unit.values() for t in ts], program)
    per_contact: dict[int, tuple[User, list[ProgramTrainee]]] = {}
    for unit_id, ts in touched_by_unit.items():
        for user in contacts.get(unit_id, []):
            per_contact.setdefault(user.pk, (user, []))[1].extend(ts)
    out = []
    kind = kinds.CONTACT_SCHEDULE_CHANGED.code
    for user, ts in per_contact.values():
        cadre_ids = {t.cadre_id for t in ts}
        mine = [
            c.summary
            for c in changes
            if c.trainee_cadre_ids is None or cadre_ids & set(c.trainee_cadre_ids)
        ]
        assert user.org is not None  # contacts are found through their unit
        context = {
            "program": program.full_name,
            "changes": _lines(mine),
            "count": len(ts),
            "names": "、".join(t.cadre.name for t in ts[:30]) + ("等" if len(ts) > 30 else ""),
        }
        title, body = texts(kind, context)
        out.append(
            Outgoing(
                "单位联络员",
                str(user),
                user.org.name,
                title,
                body,
                user=user,
                changes=mine,
                kind=kind,
                context=context,
            )
        )
    return out


@transaction.atomic
def changes_notify(*, actor: User, program: Program, change_ids: list[int]) -> int:
    """Send the grouped notices for the changes the organizer previewed (ids), once."""
    if not program_policies.can_manage_program(actor, program):
        raise PermissionDenied()
    require_open_program(program)
    changes = list(
        children_of(program, ScheduleChange, "program")
        .select_for_update()
        .filter(notified_at__isnull=True, pk__in=change_ids)
        .order_by("created_at", "id")
    )
    if not changes or len(changes) != len(set(change_ids)):
        raise EnrollmentError(
            "changes_stale", _("待通知的变更已有变化（可能已由他人发送），请刷新后核对再发送。")
        )
    outgoing = changes_preview(program, changes)
    sent = 0
    urls = {
        kinds.SCHEDULE_CHANGED.code: reverse("programs:my_progress", args=[program.pk]),
        kinds.LECTURER_SCHEDULE_CHANGED.code: reverse("programs:my_progress", args=[program.pk]),
        kinds.CONTACT_SCHEDULE_CHANGED.code: reverse("enrollment:my_quotas"),
    }
    for kind, url in urls.items():
        items = [
            outbox.Outgoing(
                to=outbox.To.user(o.user) if o.user else outbox.To.cadre(o.cadre_id or 0),
                context=o.context,
                url=url,
            )
            for o in outgoing
            if o.kind == kind and (o.user or o.cadre_id)
        ]
        if items:
            sent += outbox.send_each(
                kind=kind, items=items, program_id=program.pk, org_id=program.org_id, sender=actor
            )
    now = timezone.now()
    children_of(program, ScheduleChange, "program").filter(pk__in=[c.pk for c in changes]).update(
        notified_at=now, notified_by=actor
    )
    audit_record(
        actor=actor,
        action="update",
        obj=program,
        changes={
            "changes_notified": [None, [c.summary for c in changes]],
            "notices_sent": [None, sent],
        },
    )
    return sent
