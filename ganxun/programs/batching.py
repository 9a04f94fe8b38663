"""Staggered batches (分批错时参训), solved with OR-Tools CP-SAT. Pure: no Django, no database.

The rule, as Ningbo runs it: a program's trainees are split into N batches that take the
central sessions at different times, so that

  * in every work unit (单位: a township, a department) the party secretary and the government
    head are in different batches — one of them is always at work and leads half the cadres;
  * every unit keeps at least ``min_on_duty`` of its people at work while any one batch studies:
    a batch may take at most ``size − ceil(min_on_duty · size)`` of the unit, where ``size`` is
    the unit's headcount (its trainees, unless a larger headcount from the roster is given —
    colleagues who are not in the program are at work anyway). With 2 batches and 0.4, each
    batch takes 40–60 % of a unit whose people are all trainees;
  * batch sizes fit the batches' venue capacity;
  * otherwise batches are as even as possible: first the batch totals, then each unit's split.

The model works on counts, not people: apart from the leaders, the people of a unit are
interchangeable, so a unit is one integer per batch plus one Boolean per leader and batch. That
keeps 50,000 people in 2,000 units to about 10,000 variables. People are then dealt into their
unit's counts, keeping each person's current batch where the counts allow (hand edits survive a
re-solve as far as possible).

When no split exists, cheap per-unit checks (``batching_checks``) name the units that make it
impossible and why, before the solver is asked; what they cannot see (capacity interplay across
units) comes from the solver's infeasible core over one assumption literal per unit.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from ganxun.programs.batching_checks import precheck
from ganxun.programs.batching_model import CountModel, even_plan

SECRETARY, HEAD, MEMBER = "secretary", "head", "member"
ROLE_ALIASES = {SECRETARY: SECRETARY, HEAD: HEAD, MEMBER: MEMBER, "deputy": MEMBER, "": MEMBER}
MAX_BATCHES = 12


class BatchInputError(ValueError):
    """The instance itself is malformed (not merely infeasible); the message is for people."""


@dataclass(frozen=True)
class Person:
    id: str
    unit: str
    role: str = MEMBER


@dataclass
class Instance:
    people: list[Person]
    batches: int = 2
    min_on_duty: Fraction = Fraction(2, 5)
    capacity: list[int | None] | None = None
    unit_sizes: dict[str, int] = field(default_factory=dict)
    unit_names: dict[str, str] = field(default_factory=dict)
    current: dict[str, int] = field(default_factory=dict)
    both_roles: set[str] = field(default_factory=set)  # ids recorded as secretary *and* head

    def unit_name(self, unit: str) -> str:
        return self.unit_names.get(unit, unit)


@dataclass
class UnitStats:
    key: str
    n: int  # trainees
    size: int  # headcount: trainees plus colleagues who stay at work anyway
    must_stay: int  # ceil(min_on_duty · size)
    max_per_batch: int
    secretaries: list[str]
    heads: list[str]
    members: list[str]


@dataclass
class Result:
    status: str  # optimal | feasible | infeasible | unknown
    batches: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "batches": self.batches,
            "reasons": self.reasons,
            "warnings": self.warnings,
            "sizes": self.sizes,
            "seconds": round(self.seconds, 3),
        }


# --- input -----------------------------------------------------------------------------------


def parse_instance(data: dict) -> Instance:
    """The standalone JSON form: {"people": [{"id", "unit", "role"}], "batches", "min_on_duty",
    "capacity", "unit_sizes"?}. Raises BatchInputError with a message naming the bad entry."""
    if not isinstance(data, dict):
        raise BatchInputError(_("输入必须是一个 JSON 对象。"))
    raw = data.get("people")
    if not isinstance(raw, list) or not raw:
        raise BatchInputError(_('people 必须是非空列表：[{"id", "unit", "role"}, …]。'))
    people, both = _parse_people(raw)
    return make_instance(
        people,
        batches=data.get("batches", 2),
        min_on_duty=data.get("min_on_duty", 0.4),
        capacity=data.get("capacity"),
        unit_sizes=data.get("unit_sizes") or {},
        both_roles=both,
    )


def _parse_people(raw: list) -> tuple[list[Person], set[str]]:
    seen: dict[str, Person] = {}
    both: set[str] = set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "id" not in item or "unit" not in item:
            raise BatchInputError(_("people 第 %(i)s 项缺少 id 或 unit。") % {"i": i})
        pid, unit = str(item["id"]), str(item["unit"])
        role = ROLE_ALIASES.get(str(item.get("role", MEMBER)).strip().lower())
        if role is None or not unit:
            raise BatchInputError(
                _(
                    "people 第 %(i)s 项（%(pid)s）的 role “%(role)s"
                    "” 无效，应为 secretary、head 或 member"
                    "；unit 不能为空。"
                )
                % {"i": i, "pid": pid, "role": item.get("role")}
            )
        earlier = seen.get(pid)
        if earlier is None:
            seen[pid] = Person(pid, unit, role)
        elif earlier.unit != unit:
            raise BatchInputError(
                _("%(pid)s 同时出现在 %(unit)s 和 %(unit2)s 两个单位。")
                % {"pid": pid, "unit": earlier.unit, "unit2": unit}
            )
        elif {earlier.role, role} == {SECRETARY, HEAD}:
            both.add(pid)  # one person listed as both: the checks explain why that cannot work
        elif role != MEMBER:
            seen[pid] = Person(pid, unit, role)
    return list(seen.values()), both


def make_instance(
    people: list[Person],
    *,
    batches=2,
    min_on_duty=0.4,
    capacity=None,
    unit_sizes=None,
    unit_names=None,
    current=None,
    both_roles=None,
) -> Instance:
    """Validate the parameters the same way for the JSON form, the CLI and the program page."""
    if isinstance(batches, bool) or not isinstance(batches, int) or not 1 <= batches <= MAX_BATCHES:
        raise BatchInputError(
            _("批次数必须是 1 到 %(max_batches)s 之间的整数。") % {"max_batches": MAX_BATCHES}
        )
    try:
        share = Fraction(str(min_on_duty))
    except (ValueError, ZeroDivisionError) as exc:
        raise BatchInputError(_("在岗比例必须是 0 到 1 之间的小数，例如 0.4。")) from exc
    if not 0 <= share < 1:
        raise BatchInputError(_("在岗比例必须不小于 0 且小于 1（为 1 时谁都不能参训）。"))
    return Instance(
        people=people,
        batches=batches,
        min_on_duty=share,
        capacity=_parse_capacity(capacity, batches),
        unit_sizes={str(k): int(v) for k, v in (unit_sizes or {}).items()},
        unit_names=dict(unit_names or {}),
        current=dict(current or {}),
        both_roles=set(both_roles or ()),
    )


def _parse_capacity(capacity, batches: int) -> list[int | None] | None:
    if capacity is None:
        return None
    if not isinstance(capacity, list) or len(capacity) != batches:
        raise BatchInputError(
            _("capacity 必须是长度为 %(batches)s 的列表（每批一个容量）。") % {"batches": batches}
        )
    out: list[int | None] = []
    for i, cap in enumerate(capacity, start=1):
        if cap is None:
            out.append(None)
        elif isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise BatchInputError(_("第 %(i)s 批的容量必须是不小于 0 的整数。") % {"i": i})
        else:
            out.append(cap)
    return out


def unit_stats(inst: Instance) -> dict[str, UnitStats]:
    by_unit: dict[str, UnitStats] = {}
    for p in sorted(inst.people, key=lambda p: p.id):
        u = by_unit.get(p.unit)
        if u is None:
            u = by_unit[p.unit] = UnitStats(p.unit, 0, 0, 0, 0, [], [], [])
        u.n += 1
        {SECRETARY: u.secretaries, HEAD: u.heads}.get(p.role, u.members).append(p.id)
    for u in by_unit.values():
        u.size = max(u.n, inst.unit_sizes.get(u.key, 0))
        u.must_stay = ceil(inst.min_on_duty * u.size)
        u.max_per_batch = min(u.n, u.size - u.must_stay)
    return by_unit


# --- solving ---------------------------------------------------------------------------------

ProgressFn = Callable[[dict], None]


def solve(
    inst: Instance,
    *,
    time_limit: float = 30.0,
    workers: int = 1,
    seed: int = 0,
    on_progress: ProgressFn | None = None,
) -> Result:
    started = time.monotonic()
    units = unit_stats(inst)
    reasons, warnings = precheck(inst, units)
    if reasons:
        return Result("infeasible", reasons=reasons, warnings=warnings, seconds=_since(started))
    built = CountModel(inst, units)
    built.hint(even_plan(inst, units))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(built.model, _Watcher(on_progress, started))
    result = Result("unknown", warnings=warnings)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.status = "optimal" if status == cp_model.OPTIMAL else "feasible"
        result.batches = _people_batches(inst, units, *built.assignment(solver))
        result.sizes = [0] * inst.batches
        for b in result.batches.values():
            result.sizes[b] += 1
    elif status == cp_model.INFEASIBLE:
        result.status = "infeasible"
        result.reasons = [_core_reason(inst, built.blamed_units(solver, time_limit=time_limit))]
    else:
        result.reasons = [
            _("在 %(time_limit)s 秒内没有找到可行方案，也未能证明无解；请放宽时限后重试。")
            % {"time_limit": format(time_limit, "g")}
        ]
    result.seconds = _since(started)
    return result


def _people_batches(inst, units, leaders: dict, counts: dict) -> dict[str, int]:
    out = dict(leaders)
    for u in units.values():
        out.update(_deal(u.members, counts[u.key], inst.current))
    return out


def _core_reason(inst, blamed: list[str]) -> str:
    names = _("、").join(inst.unit_name(key) for key in blamed[:20]) or _("（未能定位到具体单位）")
    more = _("等 %(n_blamed)s 个单位") % {"n_blamed": len(blamed)} if len(blamed) > 20 else ""
    caps = _("、").join(
        (
            _("第%(batch)s批 不限") % {"batch": b + 1}
            if c is None
            else _("第%(batch)s批 %(n)s 人") % {"batch": b + 1, "n": c}
        )
        for b, c in enumerate(inst.capacity or [])
    )
    what = _("批次容量（%(caps)s）") % {"caps": caps} if caps else _("批次数")
    return _(
        "%(what)s与以下单位的在岗比例、书记和行政正职错开要求无法同时满足：%(names)s%(more)s。请增加批次或容量，或降低在岗比例。"
    ) % {"what": what, "names": names, "more": more}


def _since(started: float) -> float:
    return time.monotonic() - started


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution, so a background job can show the solver working."""

    def __init__(self, on_progress: ProgressFn | None, started: float):
        super().__init__()
        self.on_progress, self.started, self.found = on_progress, started, 0

    def on_solution_callback(self) -> None:
        self.found += 1
        if self.on_progress:
            self.on_progress(
                {
                    "solutions": self.found,
                    "objective": self.objective_value,
                    "bound": self.best_objective_bound,
                    "seconds": round(time.monotonic() - self.started, 2),
                }
            )


def _deal(members: list[str], quota: list[int], current: dict[str, int]) -> dict[str, int]:
    """Give each batch its count of a unit's members, keeping people where they already are."""
    left = list(quota)
    out: dict[str, int] = {}
    for p in members:
        b = current.get(p)
        if b is not None and 0 <= b < len(left) and left[b] > 0:
            out[p] = b
            left[b] -= 1
    rest = iter(p for p in members if p not in out)
    for b, k in enumerate(left):
        for _step in range(k):
            out[next(rest)] = b
    return out


# --- checking a split edited by hand ---------------------------------------------------------


def violations(inst: Instance, assignment: Mapping[str, int | None]) -> list[str]:
    """What a given split breaks, unit by unit: run after every hand edit."""
    out: list[str] = []
    unplaced = [p.id for p in inst.people if assignment.get(p.id) is None]
    if unplaced:
        out.append(_("还有 %(n_unplaced)s 名学员没有分批。") % {"n_unplaced": len(unplaced)})
    for u in unit_stats(inst).values():
        out += _unit_violations(inst, u, assignment)
    sizes = [0] * inst.batches
    for p in inst.people:
        b = assignment.get(p.id)
        if b is not None and 0 <= b < inst.batches:
            sizes[b] += 1
    for b, cap in enumerate(inst.capacity or []):
        if cap is not None and sizes[b] > cap:
            out.append(
                _("第%(value)s批有 %(sizes)s 人，超过容量 %(cap)s 人。")
                % {"value": b + 1, "sizes": sizes[b], "cap": cap}
            )
    return out


def _unit_violations(inst: Instance, u: UnitStats, assignment: Mapping) -> list[str]:
    name, out = inst.unit_name(u.key), []
    secretaries = {assignment.get(p) for p in u.secretaries} - {None}
    heads = {assignment.get(p) for p in u.heads} - {None}
    for b in sorted(secretaries & heads):
        out.append(
            _("%(name)s：书记和行政正职都在第%(value)s批。") % {"name": name, "value": b + 1}
        )
    counts = [0] * inst.batches
    for p in u.secretaries + u.heads + u.members:
        b = assignment.get(p)
        if b is not None and 0 <= b < inst.batches:
            counts[b] += 1
    for b, k in enumerate(counts):
        if k > u.max_per_batch:
            out.append(
                _(
                    "%(name)s：第%(value)s批去了 %(k)s 人，在岗不足 "
                    "%(value2)s（最多 %(max_per_batch)s 人）。"
                )
                % {
                    "name": name,
                    "value": b + 1,
                    "k": k,
                    "value2": _share(inst),
                    "max_per_batch": u.max_per_batch,
                }
            )
    return out


def _share(inst: Instance) -> str:
    return f"{float(inst.min_on_duty) * 100:g}%"
