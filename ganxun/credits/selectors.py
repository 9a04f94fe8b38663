"""Reads of the ledger and compliance. One shared computation serves the pages, the Excel export,
the CLI and the statistics dashboard (``compliance_summary``).

Set-based: the ledger is summed per (cadre, channel) in one GROUP BY over the unit's subtree and
the five-year window (an index-only scan of (cadre, day, channel, hours)); the cadres are read
in one query; the requirements are applied in one pass in Python. No query runs per cadre.
Functions taking an ``org`` expect one the caller may see (views get it via ``get_org_for``).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, FloatField, Q, Sum
from django.db.models.functions import Cast, ExtractYear

from ganxun.core.errors import NotFound
from ganxun.core.scoping import children_of, unscoped
from ganxun.credits import ledger, promotion
from ganxun.credits.compliance import (
    EMPTY,
    Gap,
    Hours,
    Rule,
    RuleBook,
    build_rules,
    evaluate,
)
from ganxun.credits.models import Channel, CreditEntry, ProgramCreditRule, Requirement
from ganxun.orgs.models import Cadre, CadreHistory, Org
from ganxun.orgs.selectors import get_cadre_for, get_org_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from ganxun.accounts.models import User

__all__ = ["get_cadre_for", "get_org_for"]
RANKS = list(Cadre.Rank.choices)


def active_rules() -> list[Rule]:
    requirements = Requirement.objects.filter(is_active=True).select_related("org")
    return build_rules(requirements, ledger.credit_settings().hours_per_day)


def window(year: int, rules: list[Rule]) -> tuple[date, date, date]:
    """(first day counted, first day of the year, last day of the year)."""
    start = date(year, 1, 1)
    first = date(year - 4, 1, 1) if any(r.five_years for r in rules) else start
    return first, start, date(year, 12, 31)


def hours_by_cadre(org: Org | None, year: int, rules: list[Rule], cadre_id=None) -> dict:
    """{cadre_id: Hours} for the cadres under ``org`` (or one cadre), from one GROUP BY."""
    first, start, end = window(year, rules)
    rows = CreditEntry.objects.filter(day__gte=first, day__lte=end)
    if cadre_id is not None:
        rows = rows.filter(cadre_id=cadre_id)
    elif org is not None and org.parent_id is not None:
        rows = rows.filter(cadre__unit__path__startswith=org.path)
    grouped = (
        rows.values_list("cadre_id", "channel")
        .annotate(
            y=Cast(Sum("hours", filter=Q(day__gte=start)), FloatField()),
            t=Cast(Sum("hours"), FloatField()),
        )
        .order_by()
    )
    out: dict[int, Hours] = {}
    # scope: a subtree the caller checked (get_org_for, a cross-tree job) or one cadre's hours
    with unscoped():
        for cid, channel, year_hours, five_hours in grouped.iterator(chunk_size=20_000):
            hours = out.get(cid)
            if hours is None:
                hours = out[cid] = Hours()
            hours.add(channel, year_hours, five_hours)
    return out


@dataclass
class Tally:
    cadres: int = 0
    compliant: int = 0

    @property
    def share(self) -> float:
        return self.compliant / self.cadres if self.cadres else 0.0

    def count(self, ok: bool, n: int = 1) -> None:
        self.cadres += n
        self.compliant += n if ok else 0


@dataclass
class CadreResult:
    cadre_id: int
    rank: str
    unit_id: int
    hours: Hours
    gaps: list[Gap]  # every applicable requirement, met or not
    missing: float | None = None  # the sum of the gaps' missing hours (the shortfalls' order)

    def __post_init__(self):
        if self.missing is None:
            self.missing = sum(g.missing for g in self.gaps)

    @property
    def short(self) -> list[Gap]:
        return [g for g in self.gaps if g.missing > 1e-9]

    @property
    def compliant(self) -> bool:
        return not self.short

    def year_hours(self, channel: int | None = None) -> float:
        if channel is None:
            return sum(self.hours.year.values())
        return self.hours.year.get(channel, 0.0)

    def five_hours(self) -> float:
        return sum(self.hours.five.values())


@dataclass
class Report:
    org: Org
    year: int
    rules: list[Rule]
    total: Tally = field(default_factory=Tally)
    units: list[tuple[Org, Tally]] = field(default_factory=list)
    ranks: list[tuple[str, "StrOrPromise", Tally]] = field(default_factory=list)
    shortfalls: list[CadreResult] = field(default_factory=list)
    short_count: int = 0  # how many fall short (``shortfalls`` may hold only the first ones)
    results: list[CadreResult] = field(default_factory=list)  # everyone, when asked for


def compliance_report(
    org: Org, year: int, *, keep: str = "short", rank: str = "", limit: int | None = None
) -> Report:
    """Compliance of the active cadres under ``org`` for ``year``: overall, per child unit (the
    org itself first when cadres sit on it directly), per rank, and who falls short
    (``keep="short"``), everyone's result (``keep="all"``) or only the counts (``keep=""``).
    With ``keep="short"`` and a ``limit`` (the page), only the ``limit`` largest shortfalls are
    kept; ``short_count`` always says how many there are."""
    rules = active_rules()
    report = Report(org=org, year=year, rules=rules)
    counter = _Counter(report, book=RuleBook(rules))
    # scope: the subtree of an org the view fetched with get_org_for (or a cross-tree command)
    with unscoped():
        hours = hours_by_cadre(org, year, rules)
        cadres = Cadre.objects.filter(status=Cadre.Status.ACTIVE).order_by()
        if org.parent_id is not None:
            cadres = cadres.filter(unit__path__startswith=org.path)
        if rank:
            cadres = cadres.filter(rank=rank)
        children = list(Org.objects.filter(parent=org).order_by("sort", "code"))
        counter.children(children)
        if keep == "" or (keep == "short" and limit is not None):
            _count_grouped(counter, cadres, hours, window(year, rules), limit or 0)
        else:
            _count_each(counter, cadres, hours, keep)
    report.short_count = report.short_count or len(report.shortfalls)
    if org.pk in counter.units:
        report.units.append((org, counter.units[org.pk]))
    report.units += [(c, counter.units.get(c.pk, Tally())) for c in children]
    report.ranks = [(k, label, counter.ranks[k]) for k, label in RANKS if k in counter.ranks]
    # ``missing`` is never None once the result exists (__post_init__ sums it): ``or`` for mypy
    report.shortfalls.sort(key=lambda s: (-(s.missing or 0.0), s.cadre_id))
    return report


class _Counter:
    """The tallies of a report: overall, per rank and per child unit (a unit's child is
    worked out once per unit, not per cadre)."""

    def __init__(self, report: Report, book: RuleBook):
        self.report, self.book = report, book
        self.units: dict[int, Tally] = defaultdict(Tally)
        self.ranks: dict[str, Tally] = defaultdict(Tally)
        self._of_unit: dict[int, Tally] = {}

    def children(self, children: list[Org]) -> None:
        org = self.report.org
        self._segments = {c.path[len(org.path) :].split("/", 1)[0]: c.pk for c in children}

    def count(self, rank: str, unit_id: int, path: str, ok: bool, n: int = 1) -> None:
        self.report.total.count(ok, n)
        self.ranks[rank].count(ok, n)
        tally = self._of_unit.get(unit_id)
        if tally is None:
            org = self.report.org
            child = self._segments.get(path[len(org.path) :].split("/", 1)[0], org.pk)
            tally = self._of_unit[unit_id] = self.units[child]
        tally.count(ok, n)


def _count_each(counter: _Counter, cadres, hours: dict, keep: str) -> None:
    """Every cadre's result, one row at a time (the exports: they list everyone)."""
    report, book = counter.report, counter.book
    rows = cadres.values_list("id", "rank", "unit_id", "unit__path").iterator(chunk_size=20_000)
    for cid, rank, unit_id, path in rows:
        cadre_hours = hours.get(cid, EMPTY)
        if keep == "all":
            gaps, missing = book.evaluate(rank, cadre_hours, path)
            result = CadreResult(cid, rank, unit_id, cadre_hours, gaps, missing)
            report.results.append(result)
            ok = result.compliant
            if not ok:
                report.shortfalls.append(result)
        else:
            gaps, missing = book.shortfalls(rank, cadre_hours, path)
            ok = not gaps
            if gaps:
                report.shortfalls.append(
                    CadreResult(cid, rank, unit_id, cadre_hours, gaps, missing)
                )
        counter.count(rank, unit_id, path, ok)


def _count_grouped(counter: _Counter, cadres, hours: dict, span, limit: int) -> None:
    """The counts (and the ``limit`` largest shortfalls) without reading every cadre: those
    with ledger rows in the window are read one by one; those without have the same result as
    anyone of their rank and unit, so they are counted per (unit, rank) in SQL and only the
    few the page lists are read (the demo city: 200 rows and 2,000 groups, not 50,000 rows)."""
    report, book = counter.report, counter.book
    first, _start, end = span
    entered = CreditEntry.objects.filter(day__gte=first, day__lte=end).values("cadre_id")
    short: list[CadreResult] = []
    rows = cadres.filter(pk__in=entered).values_list("id", "rank", "unit_id", "unit__path")
    for cid, rank, unit_id, path in rows.iterator(chunk_size=20_000):
        cadre_hours = hours.get(cid, EMPTY)
        gaps, missing = book.shortfalls(rank, cadre_hours, path)
        counter.count(rank, unit_id, path, not gaps)
        if gaps:
            short.append(CadreResult(cid, rank, unit_id, cadre_hours, gaps, missing))
    idle = cadres.exclude(pk__in=entered)
    levels: dict[float, list[tuple[str, int]]] = defaultdict(list)  # missing → its groups
    groups = idle.values_list("unit_id", "unit__path", "rank").annotate(n=Count("id"))
    for unit_id, path, rank, n in groups:
        gaps, missing = book.shortfalls(rank, EMPTY, path)
        counter.count(rank, unit_id, path, not gaps, n)
        if gaps:
            levels[missing].append((rank, unit_id))
            report.short_count += n
    report.short_count += len(short)
    if limit:
        report.shortfalls = _largest(book, idle, short, levels, limit)


def _largest(book: RuleBook, idle, short: list[CadreResult], levels: dict, limit: int) -> list:
    """The ``limit`` first shortfalls in the page's order (most missing, then by id): level by
    level of missing hours, the cadres read from the database are the first ids of the groups
    at that level (usually one level, one query)."""
    by_level: dict[float, list[CadreResult]] = defaultdict(list)
    for result in short:
        by_level[result.missing or 0.0].append(result)  # never None (see CadreResult)
    out: list[CadreResult] = []
    for missing in sorted(set(levels) | set(by_level), reverse=True):
        if len(out) >= limit:
            break
        here = list(by_level.get(missing, ()))
        if missing in levels:
            units: dict[str, list[int]] = defaultdict(list)
            for rank, unit_id in levels[missing]:
                units[rank].append(unit_id)
            which = Q()
            for rank, ids in units.items():
                which |= Q(rank=rank, unit_id__in=ids)
            rows = idle.filter(which).order_by("id")
            rows = rows.values_list("id", "rank", "unit_id", "unit__path")[: limit - len(out)]
            for cid, rank, unit_id, path in rows:
                gaps, gap_missing = book.shortfalls(rank, EMPTY, path)
                here.append(CadreResult(cid, rank, unit_id, EMPTY, gaps, gap_missing))
        out += sorted(here, key=lambda r: r.cadre_id)
    return out[:limit]


def compliance_summary(org: Org, year: int) -> dict:
    """{"cadres", "compliant", "units": [{"code", "cadres", "compliant"}]} — the CLI's JSON."""
    report = compliance_report(org, year, keep="")
    return {
        "cadres": report.total.cadres,
        "compliant": report.total.compliant,
        "units": [
            {"code": unit.code, "cadres": tally.cadres, "compliant": tally.compliant}
            for unit, tally in report.units
        ],
    }


def with_cadres(results: list[CadreResult]) -> list[tuple[Cadre, CadreResult]]:
    """The results with their cadres and units (one query per 5,000, for the page or export)."""
    out = []
    # scope: the cadres of results a compliance report counted under an org already checked
    with unscoped():
        for start in range(0, len(results), 5000):
            batch = results[start : start + 5000]
            cadres = Cadre.objects.select_related("unit").in_bulk([r.cadre_id for r in batch])
            out += [(cadres[r.cadre_id], r) for r in batch if r.cadre_id in cadres]
    return out


@dataclass
class CadreRecord:
    cadre: Cadre
    year: int
    entries: list[CreditEntry]
    years: list[int]
    channels: list[tuple[int, "StrOrPromise"]]
    totals: dict[int, dict[int, float]]  # year → channel → hours
    year_totals: dict[int, float]
    gaps: list[Gap]

    @property
    def compliant(self) -> bool:
        return all(g.missing <= 1e-9 for g in self.gaps)

    @property
    def table(self) -> list[tuple[int, list[tuple["StrOrPromise", float | None]], float]]:
        """(year, (channel label, hours) in ``channels`` order, total) for the totals table."""
        return [
            (y, [(label, self.totals[y].get(c)) for c, label in self.channels], self.year_totals[y])
            for y in self.years
        ]


def cadre_record(cadre: Cadre, year: int) -> CadreRecord:
    """The 培训档案: every entry, totals by channel and year, and the year's requirements."""
    rules = active_rules()
    # scope: the unit and ledger of a cadre the view fetched with get_cadre_for (or the trainee)
    with unscoped():
        unit_path = Org.objects.filter(pk=cadre.unit_id).values_list("path", flat=True).first()
        assert unit_path is not None  # every cadre has a unit (not null, PROTECT)
        entries = list(
            CreditEntry.objects.filter(cadre=cadre)
            .select_related("recorded_by", "reverses")
            .order_by("-day", "-id")
        )
        hours = hours_by_cadre(None, year, rules, cadre_id=cadre.pk).get(cadre.pk, Hours())
        sums = (
            CreditEntry.objects.filter(cadre=cadre)
            .annotate(y=ExtractYear("day"))
            .values_list("y", "channel")
            .annotate(h=Cast(Sum("hours"), FloatField()))
            .order_by()
        )
        totals: dict[int, dict[int, float]] = defaultdict(dict)
        for y, channel, h in sums:
            totals[y][channel] = h
    used = sorted({c for by in totals.values() for c in by})
    return CadreRecord(
        cadre=cadre,
        year=year,
        entries=entries,
        years=sorted(totals, reverse=True),
        channels=[(c, Channel(c).label) for c in used],
        totals=dict(totals),
        year_totals={y: sum(by.values()) for y, by in totals.items()},
        gaps=evaluate(rules, cadre.rank, hours, unit_path),
    )


def get_entry_for(actor: "User", pk) -> CreditEntry:
    entry = (
        CreditEntry.objects.visible_to(actor).select_related("cadre").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if entry is None:
        raise NotFound()
    return entry


def program_rule(program) -> ProgramCreditRule | None:
    return children_of(program, ProgramCreditRule, "program").first()


def promotion_training(org: Org, today: date | None = None) -> list[promotion.PromotionCheck]:
    """Cadres under ``org`` promoted to a leadership level within the last two years, each with
    the requirement of the new level counted over its promotion window: inside the year (and
    how much is left), done, or overdue. Three queries whatever the number of cadres: the
    current history records started in the period, the records before them, and the ledger
    rows of the promoted cadres."""
    today = today or date.today()
    rules = active_rules()
    since = today - timedelta(days=2 * 365)
    # scope: the subtree of an org the view fetched with get_org_for (its path narrows below)
    with unscoped():
        current = CadreHistory.objects.filter(
            end__isnull=True, start__gte=since, start__lte=today, cadre__status="active"
        )
        if org.parent_id is not None:
            current = current.filter(cadre__unit__path__startswith=org.path)
        rows = list(
            current.values_list(
                "cadre_id",
                "start",
                "rank",
                "cadre__name",
                "cadre__unit_id",
                "cadre__unit__name",
                "cadre__unit__path",
            )
        )
        ids = [row[0] for row in rows]
        before: dict[int, tuple[date, str]] = {}
        for cid, end, rank in (
            # records read from a 任免审批表's 简历 (no unit) say nothing of the rank held
            CadreHistory.objects.filter(cadre_id__in=ids, end__isnull=False, unit__isnull=False)
            .order_by("cadre_id", "end")
            .values_list("cadre_id", "end", "rank")
        ):
            assert end is not None  # filtered on end__isnull=False
            before[cid] = (end, rank)  # the latest closed record wins
        promoted = []
        for cid, start, rank, name, unit_id, unit_name, path in rows:
            previous = before.get(cid)
            if previous is None or previous[0] > start:
                continue
            rule = promotion.rule_for(rules, rank, path)
            if rule is not None and promotion.is_promotion(previous[1], rank):
                promoted.append((cid, start, previous[1], rank, name, unit_id, unit_name, rule))
        if not promoted:
            return []
        first = min(promotion.counting_window(p[7], p[1])[0] for p in promoted)
        entries = (
            CreditEntry.objects.filter(cadre_id__in=[p[0] for p in promoted], day__gte=first)
            .values_list("cadre_id", "day", "channel")
            .annotate(h=Cast(Sum("hours"), FloatField()))
            .order_by()
        )
        by_cadre: dict[int, list] = defaultdict(list)
        for cid, day, channel, hours in entries:
            by_cadre[cid].append((day, channel, hours))
    out = []
    for cid, start, was, rank, name, unit_id, unit_name, rule in promoted:
        low, high = promotion.counting_window(rule, start)
        by_channel: dict[int, float] = defaultdict(float)
        for day, channel, hours in by_cadre.get(cid, ()):
            if low <= day <= high and day <= today:
                by_channel[channel] += hours
        out.append(
            promotion.PromotionCheck(
                cid,
                name,
                unit_id,
                unit_name,
                start,
                was,
                rank,
                rule,
                rule.counted(by_channel),
                today,
            )
        )
    out.sort(key=lambda c: (c.unit_name, c.state != promotion.OVERDUE, c.due, c.cadre_id))
    return out


def program_hours(program, cadre_ids) -> dict:
    """学时 each cadre earned in a program, as the ledger holds them: the net of its entries for
    the program's sessions (``core.hours`` under the crediting rules, after late/early rules and
    corrections), plus the program's graduation bonus (credited when they graduate). The figure
    a certificate states, the same as the trainee's 培训档案."""
    from decimal import Decimal

    rule = program_rule(program)
    bonus = rule.bonus_hours if rule and rule.bonus_hours > 0 else Decimal(0)
    rows = (
        # scope: ledger rows of a program the caller holds, for the trainees it names
        CreditEntry._base_manager.filter(program_id=program.pk, cadre_id__in=list(cadre_ids))
        .exclude(source=f"program:{program.pk}")
        .values("cadre_id")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    earned = {r["cadre_id"]: r["h"] for r in rows}
    return {cid: Decimal(earned.get(cid) or 0) + bonus for cid in cadre_ids}


def visible_requirements(user):
    """The requirements that bind the user's subtree or are kept below it: the city's, those of
    the orgs above the user's org and the user's own, and those of orgs beneath it."""
    org = getattr(user, "org", None)
    if org is None:
        return Requirement.objects.none()
    parts = org.path.split("/")[:-1]
    above = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return (
        Requirement.objects.filter(
            Q(org__isnull=True) | Q(org__path__in=above) | Q(org__path__startswith=org.path)
        )
        .select_related("org")
        .order_by("sort", "id")
    )
