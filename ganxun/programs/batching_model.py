"""The CP-SAT count model behind ``batching.solve`` and the even split it starts from.

Per unit and batch: an integer for the unit's ordinary members in that batch and a Boolean per
leader (secretary or head) and batch. One assumption literal per unit carries the unit's rules
(secretaries and heads apart, at most ``max_per_batch`` per batch), so an infeasible answer
comes with the units that cause it. The objective is lexicographic: even batch totals first,
then each unit split as evenly as it goes.

The search starts from a complete hint, the even split (``even_plan``); with the true lower
bounds added to the spreads, that hint usually proves itself optimal at once.
"""

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass
class Plan:
    leaders: dict[str, int]  # leader id → batch
    members: dict[str, list[int]]  # unit key → members per batch


def even_plan(inst, units: dict) -> Plan:
    """Each unit divided as evenly as it goes, the odd ones out sent to whichever batch is
    smallest so far, secretaries and heads in different batches. Capacity is not considered."""
    n_b = inst.batches
    running = [0] * n_b
    plan = Plan({}, {})
    for u in sorted(units.values(), key=lambda u: (-u.n, u.key)):
        order = sorted(range(n_b), key=lambda b: (running[b], b))
        target = [0] * n_b
        for i, b in enumerate(order):
            target[b] = u.n // n_b + (1 if i < u.n % n_b else 0)
        placed = [0] * n_b
        for group, start in ((u.secretaries, 0), (u.heads, n_b // 2 if n_b > 1 else 0)):
            for i, p in enumerate(group):
                b = order[(start + i) % n_b]
                plan.leaders[p] = b
                placed[b] += 1
        members = [max(target[b] - placed[b], 0) for b in range(n_b)]
        _fit(members, len(u.members))
        plan.members[u.key] = members
        for b in range(n_b):
            running[b] += placed[b] + members[b]
    return plan


def _fit(counts: list[int], total: int) -> None:
    """Adjust counts in place so they sum to ``total`` (leaders may have overfilled a batch)."""
    b = len(counts) - 1
    while sum(counts) > total:
        if counts[b] > 0:
            counts[b] -= 1
        b = (b - 1) % len(counts)
    counts[0] += total - sum(counts)


def water_level_spread(n: int, capacity: list[int | None] | None, n_b: int) -> int:
    """The least max − min of batch totals that capacity alone allows: a true lower bound."""
    caps = [c if c is not None else n for c in (capacity or [n] * n_b)]
    lo, hi = 0, n
    while lo < hi:  # the least level L with Σ min(cap, L) ≥ n
        mid = (lo + hi) // 2
        if sum(min(c, mid) for c in caps) >= n:
            hi = mid
        else:
            lo = mid + 1
    level = lo
    filled = [min(c, level) for c in caps]
    extra = sum(filled) - n  # batches at the level that can give one back
    at_level = [i for i, f in enumerate(filled) if f == level]
    for i in at_level[:extra]:
        filled[i] -= 1
    return max(filled) - min(filled)


class CountModel:
    def __init__(self, inst, units: dict):
        self.inst, self.units = inst, units
        self.model = cp_model.CpModel()
        self.rule: dict[str, cp_model.IntVar] = {}
        self.members: dict[tuple[str, int], cp_model.IntVar] = {}
        self.leader: dict[tuple[str, int], cp_model.IntVar] = {}
        self.spreads: dict[str, tuple] = {}
        n_b = range(inst.batches)
        totals: list[list] = [[] for _ in n_b]
        for u in units.values():
            counts = self._unit(u)
            for b in n_b:
                totals[b].append(counts[b])
            self.spreads[u.key] = self._spread(counts, u.n, 1 if u.n % inst.batches else 0)
        n = len(inst.people)
        self.totals = [self.model.new_int_var(0, n, f"T{b}") for b in n_b]
        for b in n_b:
            self.model.add(self.totals[b] == sum(totals[b]))
            cap = inst.capacity[b] if inst.capacity else None
            if cap is not None:
                self.model.add(self.totals[b] <= cap)
        bound = water_level_spread(n, inst.capacity, inst.batches)
        self.total_spread = self._spread(self.totals, n, bound)
        unit_spreads = sum(s[2] for s in self.spreads.values())
        self.model.minimize(self.total_spread[2] * (n + 1) + unit_spreads)
        self.model.add_assumptions(list(self.rule.values()))

    def _unit(self, u) -> list:
        m, n_b = self.model, range(self.inst.batches)
        leaders = u.secretaries + u.heads
        # Only units with a rule that can bite get a literal, so the core names no bystanders.
        if (u.secretaries and u.heads) or u.max_per_batch < u.n:
            self.rule[u.key] = m.new_bool_var(f"rule_{u.key}")
        enforce = [self.rule[u.key]] if u.key in self.rule else []
        for p in leaders:
            for b in n_b:
                self.leader[p, b] = m.new_bool_var(f"z_{p}_{b}")
            m.add_exactly_one(self.leader[p, b] for b in n_b)
        for s in u.secretaries:
            for h in u.heads:
                for b in n_b:
                    apart = [self.leader[s, b].Not(), self.leader[h, b].Not()]
                    m.add_bool_or(apart).only_enforce_if(enforce)
        counts = []
        for b in n_b:
            y = self.members[u.key, b] = m.new_int_var(0, len(u.members), f"y_{u.key}_{b}")
            count = y + sum(self.leader[p, b] for p in leaders)
            if u.max_per_batch < u.n:
                m.add(count <= u.max_per_batch).only_enforce_if(enforce)
            counts.append(count)
        m.add(sum(self.members[u.key, b] for b in n_b) == len(u.members))
        return counts

    def _spread(self, values: list, upper: int, lower: int) -> tuple:
        """(values, max, max − min) with ``lower`` a proven least value of the spread, so a
        solution that reaches it is known optimal without search."""
        m = self.model
        hi, lo = m.new_int_var(0, upper, "hi"), m.new_int_var(0, upper, "lo")
        m.add_max_equality(hi, values)
        m.add_min_equality(lo, values)
        spread = m.new_int_var(min(lower, upper), upper, "spread")
        m.add(spread == hi - lo)
        return values, (hi, lo), spread

    def hint(self, plan: Plan) -> None:
        """A complete hint: every variable gets the value the plan implies."""
        m, n_b = self.model, range(self.inst.batches)
        totals = [0] * self.inst.batches
        for u in self.units.values():
            if u.key in self.rule:
                m.add_hint(self.rule[u.key], 1)
            counts = list(plan.members[u.key])
            for b in n_b:
                m.add_hint(self.members[u.key, b], counts[b])
            for p in u.secretaries + u.heads:
                for b in n_b:
                    m.add_hint(self.leader[p, b], plan.leaders[p] == b)
                counts[plan.leaders[p]] += 1
            self._hint_spread(self.spreads[u.key], counts)
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
        for b in n_b:
            m.add_hint(self.totals[b], totals[b])
        self._hint_spread(self.total_spread, totals)

    def _hint_spread(self, spread: tuple, values: list[int]) -> None:
        _, (hi, lo), var = spread
        self.model.add_hint(hi, max(values))
        self.model.add_hint(lo, min(values))
        self.model.add_hint(var, max(values) - min(values))

    def assignment(self, solver: cp_model.CpSolver) -> tuple[dict[str, int], dict[str, list]]:
        """Leaders' batches, and each unit's member counts per batch."""
        n_b = range(self.inst.batches)
        leaders = {p: b for (p, b), var in self.leader.items() if solver.boolean_value(var)}
        counts = {
            u.key: [solver.value(self.members[u.key, b]) for b in n_b] for u in self.units.values()
        }
        return leaders, counts

    def blamed_units(self, solver: cp_model.CpSolver, *, time_limit: float) -> list[str]:
        """The units of the solver's infeasible core, shrunk by deletion while it is small:
        drop one unit's rules, and if the rest is still infeasible that unit was a bystander."""
        core = set(solver.sufficient_assumptions_for_infeasibility())
        blamed = [key for key, lit in self.rule.items() if lit.index in core]
        if len(blamed) > MINIMIZE_UP_TO:
            return blamed
        for key in list(blamed):
            rest = [self.rule[k] for k in blamed if k != key]
            self.model.clear_assumptions()
            self.model.add_assumptions(rest)
            probe = cp_model.CpSolver()
            probe.parameters.max_time_in_seconds = time_limit / (2 * MINIMIZE_UP_TO)
            probe.parameters.num_workers = 1
            if probe.solve(self.model) == cp_model.INFEASIBLE:
                blamed.remove(key)
        return blamed


MINIMIZE_UP_TO = 30
