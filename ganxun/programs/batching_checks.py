"""Cheap checks that prove a batch split impossible before the solver is asked, and say why.

Each reason names the unit (its Chinese name) and the numbers that rule it out, so an
organizer can act: add a batch, lower the on-duty share, add capacity, correct the roster.
Per unit, a split exists exactly when (1) nobody is both secretary and head, (2) the batches
can hold the unit at all (N × max per batch ≥ trainees) and (3) the secretaries and the heads
fit into disjoint batches. Across units only capacity can then get in the way; two necessary
conditions are checked here and the solver's infeasible core covers the rest.
"""

from fractions import Fraction
from math import ceil

MAX_NAMED = 20
MAX_REASONS = 50


def precheck(inst, units: dict) -> tuple[list[str], list[str]]:
    whole = _share_too_high(inst)
    if whole:
        return [whole], _warnings(inst, units)
    reasons: list[str] = []
    for pid in sorted(inst.both_roles):
        unit = next(p.unit for p in inst.people if p.id == pid)
        reasons.append(
            f"{inst.unit_name(unit)}：书记和行政正职登记为同一人（{pid}），"
            "无法分到不同批次；请在名册中更正班子角色。"
        )
    unit_reasons = [r for r in (_unit_reason(inst, u) for u in units.values()) if r]
    reasons += unit_reasons[:MAX_REASONS]
    if len(unit_reasons) > MAX_REASONS:
        reasons.append(f"另有 {len(unit_reasons) - MAX_REASONS} 个单位同样排不下。")
    if not reasons:
        reasons += _capacity_reasons(inst, units)
    return reasons, _warnings(inst, units)


def _share_too_high(inst) -> str | None:
    """With N batches each studying in turn, (1 − share) · N < 1 leaves someone out in every
    unit whose people are all trainees: say it once instead of once per unit."""
    if (1 - inst.min_on_duty) * inst.batches >= 1 or inst.unit_sizes:
        return None
    most = Fraction(inst.batches - 1, inst.batches)
    return (
        f"在岗比例 {_percent(inst.min_on_duty)} 时，{inst.batches} 批轮流参训也无法让每个人都"
        f"参训一次；{inst.batches} 批时在岗比例最多为 {_percent(most)}，或增加批次。"
    )


def _percent(share) -> str:
    return f"{float(share) * 100:.4g}%"


def _unit_reason(inst, u) -> str | None:
    name, n_b = inst.unit_name(u.key), inst.batches
    whole = f"单位共 {u.size} 人，" if u.size > u.n else ""
    if u.max_per_batch * n_b < u.n:
        if u.max_per_batch == 0:
            room = "任何一批都不能有人参训"
        else:
            room = f"每批最多 {u.max_per_batch} 人参训，{n_b} 批合计最多 {u.max_per_batch * n_b} 人"
        return (
            f"{name}：有 {u.n} 名学员，{whole}须至少 {u.must_stay} 人"
            f"（{_percent(inst.min_on_duty)}）在岗，{room}，排不下。"
        )
    if u.secretaries and u.heads:
        if n_b == 1:
            return f"{name}：只有 1 个批次，书记和行政正职无法分在不同批次。"
        need = ceil(len(u.secretaries) / u.max_per_batch) + ceil(len(u.heads) / u.max_per_batch)
        if need > n_b:
            return (
                f"{name}：登记了 {len(u.secretaries)} 名书记、{len(u.heads)} 名行政正职，"
                f"每批最多 {u.max_per_batch} 人参训，至少需要 {need} 个批次才能把他们错开。"
            )
    return None


def _capacity_reasons(inst, units: dict) -> list[str]:
    if not inst.capacity:
        return []
    total = len(inst.people)
    caps = inst.capacity
    if all(c is not None for c in caps) and sum(caps) < total:
        return [f"各批容量合计 {sum(caps)} 人，少于学员总数 {total} 人。"]
    # Hall's condition on the k smallest batches: people who cannot fit into the other batches
    # (each unit may send at most max_per_batch to each) must sit in these k.
    order = sorted(range(len(caps)), key=lambda b: float("inf") if caps[b] is None else caps[b])
    for k in range(1, len(caps)):
        chosen = order[:k]
        if any(caps[b] is None for b in chosen):
            break
        others = len(caps) - k
        forced = {key: u.n - others * u.max_per_batch for key, u in units.items()}
        forced = {key: f for key, f in forced.items() if f > 0}
        room = sum(caps[b] for b in chosen)
        if sum(forced.values()) > room:
            which = "、".join(f"第{b + 1}批" for b in sorted(chosen))
            top = sorted(forced, key=lambda key: -forced[key])[:MAX_NAMED]
            names = "、".join(f"{inst.unit_name(key)}（{forced[key]}人）" for key in top)
            return [
                f"{which}容量合计只有 {room} 人，但按在岗比例其余批次容不下的学员有 "
                f"{sum(forced.values())} 人，必须排在{which}：{names}。"
            ]
    return []


def _warnings(inst, units: dict) -> list[str]:
    leaderless = [u.key for u in units.values() if not u.secretaries and not u.heads]
    if not leaderless:
        return []
    names = "、".join(inst.unit_name(key) for key in leaderless[:MAX_NAMED])
    more = f"等 {len(leaderless)} 个单位" if len(leaderless) > MAX_NAMED else ""
    return [
        f"{names}{more}的学员中没有登记书记或行政正职，无法保证领导错开带队；仍按在岗比例分批。"
    ]
