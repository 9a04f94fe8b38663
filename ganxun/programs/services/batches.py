"""Staggered batches for a program: the solver as a background job, hand edits re-checked,
and trainees sent to the main classroom or the video sub-classroom serving their area."""

import time
from collections import Counter, defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record
from ganxun.core.bulk import Preview, require_unchanged
from ganxun.core.bulk import fingerprint as bulk_fingerprint
from ganxun.core.errors import NotFound
from ganxun.core.jobs import job_handler, job_start
from ganxun.core.models import Job
from ganxun.orgs.models import Cadre, Org
from ganxun.programs import batching
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Program, ProgramTrainee, Session, Venue
from ganxun.programs.participation import participation  # 变更待通知, seats
from ganxun.programs.selectors import trainee_sessions_q
from ganxun.programs.services.common import require_manager

if TYPE_CHECKING:
    from ganxun.accounts.models import User

KIND = "program_batches"
ROLE: dict[str, str] = {
    Cadre.LeaderRole.SECRETARY: batching.SECRETARY,
    Cadre.LeaderRole.HEAD: batching.HEAD,
}
TIME_LIMIT = 30.0  # perf anchors: interactive ≈ 6 s for 5,000 people; hard stop at 30 s


def program_instance(program: Program, *, batches: int, min_on_duty) -> batching.Instance:
    """The program's trainees as a solver instance. A unit's headcount is its active cadres in
    the roster: colleagues who are not in the program are at work anyway."""
    rows = list(
        ProgramTrainee._base_manager.filter(program=program).values_list(
            "cadre_id", "batch", "cadre__unit_id", "cadre__leader_role"
        )
    )
    people = [
        batching.Person(str(cadre), str(unit), ROLE.get(role, batching.MEMBER))
        for cadre, _batch, unit, role in rows
    ]
    current = {str(c): b - 1 for c, b, _u, _r in rows if b is not None and b <= batches}
    unit_ids = {u for _c, _b, u, _r in rows}
    return batching.make_instance(
        people,
        batches=batches,
        min_on_duty=min_on_duty,
        capacity=_capacity(program, batches),
        unit_sizes=_headcounts(unit_ids),
        unit_names=_unit_names(unit_ids),
        current=current,
    )


def _headcounts(unit_ids: set[int]) -> dict[str, int]:
    rows = (
        Cadre._base_manager.filter(unit_id__in=unit_ids, status=Cadre.Status.ACTIVE)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("id"))
    )
    return {str(unit): n for unit, n in rows}


def _unit_names(unit_ids: set[int]) -> dict[str, str]:
    """Chinese names; a name two units share (城关镇 in two counties) gets its parent's."""
    rows = list(Org._base_manager.filter(pk__in=unit_ids).values_list("pk", "name", "parent__name"))
    seen = Counter(name for _pk, name, _parent in rows)
    return {
        str(pk): f"{parent}{name}" if seen[name] > 1 and parent else name
        for pk, name, parent in rows
    }


def program_venues(program: Program) -> tuple[Venue | None, list[Venue]]:
    """The main classroom and the video sub-classrooms the program uses."""
    through = Program.sub_venues.through.objects.filter(program=program).values("venue_id")
    subs = list(Venue._base_manager.filter(pk__in=through).select_related("serves"))
    return program.main_venue, subs


def classroom_capacity(program: Program) -> int | None:
    """Seats for one batch: the main classroom and the sub-classrooms together; None when a
    classroom has no capacity recorded (then capacity does not limit the batches)."""
    main, subs = program_venues(program)
    venues = ([main] if main else []) + subs
    if not venues or any(v.capacity is None for v in venues):
        return None
    return sum(v.capacity or 0 for v in venues)  # none is None here (checked above)


def _capacity(program: Program, batches: int) -> list[int | None] | None:
    seats = classroom_capacity(program)
    return None if seats is None else [seats] * batches


def _check_start(program: Program, batches: int, min_on_duty) -> None:
    try:
        batching.make_instance([], batches=batches, min_on_duty=min_on_duty)
    except batching.BatchInputError as exc:
        raise ProgramError("invalid_batch_params", str(exc), field="batches") from exc
    if not ProgramTrainee._base_manager.filter(program=program).exists():
        raise ProgramError("no_trainees", _("项目还没有学员，请先添加学员再分批。"))
    higher = Session._base_manager.filter(program=program, batch__gt=batches).count()
    if higher:
        raise ProgramError(
            "batches_in_use",
            _("有 %(n)s 次课排给了第 %(batch)s 批及以后，请先调整这些课次再减少批次数。")
            % {"n": higher, "batch": batches + 1},
            field="batches",
        )


def batch_solve_start(*, actor: "User", program: Program, batches: int, min_on_duty) -> Job:
    require_manager(actor, program)
    _check_start(program, batches, min_on_duty)
    return job_start(
        actor=actor,
        kind=KIND,
        title=_("%(full_name)s：分 %(batches)s 批错时参训")
        % {"full_name": program.full_name, "batches": batches},
        params={"program": program.pk, "batches": batches, "min_on_duty": str(min_on_duty)},
    )


@job_handler(KIND)
def run_batch_solve(job: Job, progress) -> dict:
    actor = job.actor
    program = Program.objects.visible_to(actor).filter(pk=job.params["program"]).first()
    if program is None:
        raise NotFound(_("该项目已不存在，或您已无权管理。"))
    require_manager(actor, program)
    batches, share = job.params["batches"], Decimal(job.params["min_on_duty"])
    _check_start(program, batches, share)
    progress.start(100, _("正在读取学员和单位……"))
    inst = program_instance(program, batches=batches, min_on_duty=share)
    progress.every = 1
    progress.advance(10, _("%(n_people)s 名学员，正在求解……") % {"n_people": len(inst.people)})
    result = batching.solve(inst, time_limit=TIME_LIMIT, on_progress=_reporter(job))
    # The split is proposed, not written: the organizer previews who moves and confirms it
    # (batch_apply), like every bulk write (core/bulk.py).
    _remember(program, result, batches, share, job=job)
    progress.advance(100, _summary(result))
    job.message = _summary(result)
    out = result.as_dict()
    proposal = out.pop("batches")
    if result.status in ("optimal", "feasible"):
        out["proposal"] = {cadre: b + 1 for cadre, b in proposal.items()}
    return out


def _reporter(job: Job):
    """Each improving solution updates the job's line of text, at most twice a second."""
    last = [0.0]

    def report(info: dict) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        done = min(90, 10 + int(80 * info["seconds"] / TIME_LIMIT))
        Job.objects.filter(pk=job.pk).update(
            done=done,
            message=_(
                "已找到第 %(n)s 个方案（目标值 %(objective)s，下界 %(bound)s），用时 %(seconds)s 秒"
            )
            % {
                "n": info["solutions"],
                "objective": format(info["objective"], "g"),
                "bound": format(info["bound"], "g"),
                "seconds": info["seconds"],
            },
        )

    return report


def _summary(result: batching.Result) -> str:
    labels = {"optimal": _("已求得最优分批"), "feasible": _("已求得可行分批（未证明最优）")}
    if result.status in labels:
        sizes = _("、").join(
            _("第%(batch)s批 %(n)s 人") % {"batch": b + 1, "n": n}
            for b, n in enumerate(result.sizes)
        )
        return _("%(labels)s：%(sizes)s，用时 %(seconds)s 秒。") % {
            "labels": labels[result.status],
            "sizes": sizes,
            "seconds": format(result.seconds, ".1f"),
        }
    return _("无法分批：") + _("；").join(result.reasons[:3])


def _remember(program: Program, result: batching.Result, batches: int, share, *, job) -> None:
    verdict = result.as_dict()
    verdict.pop("batches")
    verdict.update(
        at=timezone.now().isoformat(), batches=batches, min_on_duty=str(share), job=str(job.pk)
    )
    if result.status in ("optimal", "feasible"):
        verdict["applied"] = False
    Program._base_manager.filter(pk=program.pk).update(last_solve=verdict)


def pending_solution(program: Program) -> Job | None:
    """The last solve's job when its split is waiting to be previewed and confirmed."""
    verdict = program.last_solve or {}
    if verdict.get("applied") is not False or not verdict.get("job"):
        return None
    job = Job.objects.filter(pk=verdict["job"], kind=KIND).first()
    if job is None or not (job.result or {}).get("proposal"):
        return None
    return job


def _moves(program: Program, job: Job) -> tuple[list[ProgramTrainee], dict[int, int]]:
    trainees = list(
        ProgramTrainee._base_manager.filter(program=program).only("pk", "cadre_id", "batch")
    )
    proposal = job.result["proposal"]
    new = {t.pk: proposal.get(str(t.cadre_id), t.batch) for t in trainees}
    return trainees, new


def batch_apply_preview(*, actor: "User", program: Program, job: Job) -> Preview:
    """Who the solved split puts in which batch, and how many move, before anything is written."""
    require_manager(actor, program)
    trainees, new = _moves(program, job)
    batches = job.params["batches"]
    moved = sum(1 for t in trainees if t.batch != new[t.pk])
    sizes = Counter(new.values())
    notes = [
        _("其中 %(moved)s 人的批次会改变，%(value)s 人不变。")
        % {"moved": moved, "value": len(trainees) - moved}
    ]
    if program.batch_count != batches:
        notes.append(
            _("项目批次数由 %(batch_count)s 改为 %(batches)s。")
            % {"batch_count": program.batch_count, "batches": batches}
        )
    missing = sum(1 for t in trainees if str(t.cadre_id) not in job.result["proposal"])
    if missing:
        notes.append(
            _("有 %(missing)s 名学员在求解后加入，不在方案中，保持原批次；可重新计算。")
            % {"missing": missing}
        )
    return Preview(
        title=_("按方案分批 %(n_trainees)s 名学员") % {"n_trainees": len(trainees)},
        total=len(trainees),
        fingerprint=bulk_fingerprint(
            [f"{t.pk}:{t.batch}>{new[t.pk]}" for t in trainees] + [f"n{batches}"]
        ),
        groups=[
            (_("第%(batch)s批") % {"batch": b} if b else _("未分批"), sizes[b])
            for b in sorted(sizes, key=_order)
        ],
        group_label=_("批次"),
        notes=notes,
    )


def _order(batch) -> int:
    return batch or 10_000


@transaction.atomic
def batch_apply(*, actor: "User", program: Program, fingerprint: str | None = None) -> int:
    """Write the last solved split, as the organizer previewed it (``fingerprint``); refused
    if the roster changed since, or if there is no split waiting (applied already)."""
    program = Program._base_manager.select_for_update().get(pk=program.pk)
    require_manager(actor, program)
    job = pending_solution(program)
    if job is None:
        raise ProgramError("no_solution", _("没有待确认的分批方案，请重新计算分批方案。"))
    batches, share = job.params["batches"], Decimal(job.params["min_on_duty"])
    _check_start(program, batches, share)
    preview = batch_apply_preview(actor=actor, program=program, job=job)
    require_unchanged(preview.fingerprint, fingerprint, ProgramError)
    trainees, new = _moves(program, job)
    moved = [t for t in trainees if t.batch != new[t.pk]]
    for t in moved:
        t.batch = new[t.pk]
    ProgramTrainee._base_manager.bulk_update(moved, ["batch"], batch_size=900)
    participation().schedule_change_record(
        actor=actor,
        program=program,
        kind="batches",
        summary=_("学员已分为 %(batches)s 批") % {"batches": batches},
    )
    before = {"batch_count": program.batch_count, "min_on_duty": str(program.min_on_duty)}
    verdict = {**program.last_solve, "applied": True}
    Program._base_manager.filter(pk=program.pk).update(
        batch_count=batches, min_on_duty=share, last_solve=verdict
    )
    audit_record(
        actor=actor,
        action="update",
        obj=program,
        changes={
            "batch_count": [before["batch_count"], batches],
            "min_on_duty": [before["min_on_duty"], str(share)],
            "batches_solved": [None, job.result["status"]],
            "trainees_moved": [None, len(moved)],
        },
    )
    return len(moved)


# --- hand edits ------------------------------------------------------------------------------


def program_violations(program: Program) -> list[str]:
    """What the current split breaks, re-checked after every edit."""
    if program.batch_count < 2:
        return []
    inst = program_instance(program, batches=program.batch_count, min_on_duty=program.min_on_duty)
    return batching.violations(inst, inst.current)


@transaction.atomic
def trainee_set_batch(*, actor: "User", trainee: ProgramTrainee, batch: int | None) -> list[str]:
    """Move one trainee by hand; returns what the split now breaks (not refused: the
    organizer may know better, e.g. a leader on leave that week)."""
    program = trainee.program
    require_manager(actor, program)
    if batch is not None and not 1 <= batch <= program.batch_count:
        raise ProgramError(
            "invalid_batch",
            _("批次应在 1 到 %(batch_count)s 之间。") % {"batch_count": program.batch_count},
            field="batch",
        )
    audit_record(
        actor=actor,
        action="update",
        obj=trainee,
        changes={"batch": [trainee.batch, batch]},
    )
    participation().trainee_batch_change_record(actor=actor, trainee=trainee, batch=batch)
    trainee.batch = batch
    trainee.save(update_fields=["batch"])
    return program_violations(program)


# --- classrooms ------------------------------------------------------------------------------


@transaction.atomic
def venues_assign(*, actor: "User", program: Program) -> dict:
    """Trainees go to the video sub-classroom serving their area (the nearest one up the tree),
    else to the main classroom, within each classroom's seats per batch; the rest overflow."""
    require_manager(actor, program)
    main, subs = program_venues(program)
    # The nearest area first: a township's sub-classroom before its county's.
    subs.sort(key=lambda v: -len(v.serves.path) if v.serves else 0)
    if main is None and not subs:
        raise ProgramError("no_venues", _("项目还没有设置主课堂或视频分课堂。"))
    trainees = list(
        ProgramTrainee._base_manager.filter(program=program)
        .select_related("cadre__unit")
        .order_by("cadre__unit__path", "cadre_id")
    )
    taken: Counter = Counter()
    overflow: Counter = Counter()
    for t in trainees:
        t.venue = _seat(t, subs, main, taken)
        if t.venue is None:
            overflow[t.cadre.unit.name] += 1
    ProgramTrainee._base_manager.bulk_update(trainees, ["venue"], batch_size=900)
    participation().schedule_change_record(
        actor=actor, program=program, kind="venues", summary=_("已为学员分配上课教室")
    )
    by_venue: defaultdict[int, int] = defaultdict(int)
    for (venue_id, _batch), n in taken.items():
        by_venue[venue_id] += n
    audit_record(
        actor=actor,
        action="update",
        obj=program,
        changes={
            "venues_assigned": [None, sum(by_venue.values())],
            "overflow": [None, sum(overflow.values())],
        },
    )
    return {
        "assigned": dict(by_venue),
        "overflow": sorted(overflow.items(), key=lambda kv: -kv[1]),
        "unused": rooms_unused_by_sessions(program, trainees),
    }


def rooms_unused_by_sessions(program: Program, trainees: list[ProgramTrainee]) -> list[str]:
    """Warnings for trainees assigned to a classroom (other than the program's main one) that
    some of their sessions do not use: there they are expected in the session's main classroom
    (``programs.rooms``). One query per (classroom, batch, way in) group."""
    groups: dict[tuple, list[ProgramTrainee]] = defaultdict(list)
    for t in trainees:
        if t.venue is not None and t.venue.pk != program.main_venue_id:
            groups[t.venue.pk, t.batch, t.source].append(t)
    warnings = []
    for (venue_id, batch, _source), members in sorted(groups.items(), key=lambda kv: kv[0][:2]):
        sessions = Session._base_manager.filter(
            trainee_sessions_q(members[:1]), program=program, status=Session.Status.SCHEDULED
        )
        used_here = Q(main_venue_id=venue_id) | Q(sub_venues=venue_id)
        n = sessions.aggregate(
            total=Count("pk", distinct=True), using=Count("pk", filter=used_here, distinct=True)
        )
        if n["total"] == n["using"]:
            continue
        who = _("第%(batch)s批 ") % {"batch": batch} if batch else ""
        some = (
            _("都没有")
            if n["using"] == 0
            else _("有 %(value)s 个没有") % {"value": n["total"] - n["using"]}
        )
        assert members[0].venue is not None  # grouped only with a classroom
        warnings.append(
            _(
                "%(name)s：%(who)s%(n_members)s 名学员分到此"
                "教室，但他们的 %(n)s 个课次中%(some)s使用该教室，这些课次"
                "按主课堂计应到。请在课次中加上该教室，或调整教室分配。"
            )
            % {
                "name": members[0].venue.name,
                "who": who,
                "n_members": len(members),
                "n": n["total"],
                "some": some,
            }
        )
    return warnings


def _seat(t: ProgramTrainee, subs: list[Venue], main: Venue | None, taken: Counter):
    path = t.cadre.unit.path
    serving = [v for v in subs if v.serves and path.startswith(v.serves.path)]
    for venue in [*serving, *([main] if main else [])]:
        if venue.capacity is None or taken[venue.pk, t.batch] < venue.capacity:
            taken[venue.pk, t.batch] += 1
            return venue
    return None
