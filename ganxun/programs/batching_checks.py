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

from django.utils.translation import gettext as _

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
            _(
                "%(unit_name)s：书记和行政正职登记为同一人（%(pid)s），无法分到不同批次；请在名册中更正班子角色。"
            )
            % {"unit_name": inst.unit_name(unit), "pid": pid}
        )
    unit_reasons = [r for r in (_unit_reason(inst, u) for u in units.values()) if r]
    reasons += unit_reasons[:MAX_REASONS]
    if len(unit_reasons) > MAX_REASONS:
        reasons.append(
            _("另有 %(value)s 个单位同样排不下。") % {"value": len(unit_reasons) - MAX_REASONS}
        )
    if not reasons:
        reasons += _capacity_reasons(inst, units)
    return reasons, _warnings(inst, units)


def _share_too_high(inst) -> str | None:
    """With N batches each studying in turn, (1 − share) · N < 1 leaves someone out in every
    unit whose people are all trainees: say it once instead of once per unit."""
    if (1 - inst.min_on_duty) * inst.batches >= 1 or inst.unit_sizes:
        return None
    most = Fraction(inst.batches - 1, inst.batches)
    return _(
        "在岗比例 %(value)s 时，%(batches)s 批轮流参训也无"
        "法让每个人都参训一次；%(batches)s 批时在岗比例最多为 %(value2)s，或增加批次。"
    ) % {"value": _percent(inst.min_on_duty), "batches": inst.batches, "value2": _percent(most)}


def _percent(share) -> str:
    return f"{float(share) * 100:.4g}%"


def _unit_reason(inst, u) -> str | None:
    name, n_b = inst.unit_name(u.key), inst.batches
    whole = _("单位共 %(size)s 人，") % {"size": u.size} if u.size > u.n else ""
    if u.max_per_batch * n_b < u.n:
        if u.max_per_batch == 0:
            room = _("任何一批都不能有人参训")
        else:
            room = _("每批最多 %(max_per_batch)s 人参训，%(n_b)s 批合计最多 %(value)s 人") % {
                "max_per_batch": u.max_per_batch,
                "n_b": n_b,
                "value": u.max_per_batch * n_b,
            }
        return _(
            "%(name)s：有 %(n)s 名学员，%(whole)s须至少 %(must_stay)s"
            " 人（%(value)s）在岗，%(room)s，"
            "排不下。"
        ) % {
            "name": name,
            "n": u.n,
            "whole": whole,
            "must_stay": u.must_stay,
            "value": _percent(inst.min_on_duty),
            "room": room,
        }
    if u.secretaries and u.heads:
        if n_b == 1:
            return _("%(name)s：只有 1 个批次，书记和行政正职无法分在不同批次。") % {"name": name}
        need = ceil(len(u.secretaries) / u.max_per_batch) + ceil(len(u.heads) / u.max_per_batch)
        if need > n_b:
            return _(
                "%(name)s：登记了 %(n_secretaries)s 名书记、%(n_heads)s"
                " 名行政正职，每批最多 %(max_per_batch)s 人参训，至少"
                "需要 %(need)s 个批次才能把他们错开。"
            ) % {
                "name": name,
                "n_secretaries": len(u.secretaries),
                "n_heads": len(u.heads),
                "max_per_batch": u.max_per_batch,
                "need": need,
            }
    return None


def _capacity_reasons(inst, units: dict) -> list[str]:
    if not inst.capacity:
        return []
    total = len(inst.people)
    caps = inst.capacity
    if all(c is not None for c in caps) and sum(caps) < total:
        return [
            _("各批容量合计 %(value)s 人，少于学员总数 %(total)s 人。")
            % {"value": sum(caps), "total": total}
        ]
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
            which = _("、").join(_("第%(batch)s批") % {"batch": b + 1} for b in sorted(chosen))
            top = sorted(forced, key=lambda key: -forced[key])[:MAX_NAMED]
            names = _("、").join(
                _("%(unit_name)s（%(forced)s人）")
                % {"unit_name": inst.unit_name(key), "forced": forced[key]}
                for key in top
            )
            return [
                _(
                    "%(which)s容量合计只有 %(room)s 人，但按在岗比例其余批"
                    "次容不下的学员有 %(value)s 人，必须排在%(which)s：%(names)s。"
                )
                % {"which": which, "room": room, "value": sum(forced.values()), "names": names}
            ]
    return []


def _warnings(inst, units: dict) -> list[str]:
    leaderless = [u.key for u in units.values() if not u.secretaries and not u.heads]
    if not leaderless:
        return []
    names = _("、").join(inst.unit_name(key) for key in leaderless[:MAX_NAMED])
    more = (
        _("等 %(n_leaderless)s 个单位") % {"n_leaderless": len(leaderless)}
        if len(leaderless) > MAX_NAMED
        else ""
    )
    return [
        _(
            "%(names)s%(more)s的学员中没有登记书记或行政正职，无法保证领导错开带队；仍按在岗比例分批。"
        )
        % {"names": names, "more": more}
    ]
