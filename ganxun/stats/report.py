"""One report of a node and period: every figure the dashboard, the Excel export, the annual
report page and ``ganxun stats`` show, computed once here (``stats_report``)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ganxun.catalog.models import INTERACTIVE_FORMS, TeachingForm, Theme
from ganxun.evaluations.policies import min_group
from ganxun.orgs.models import Cadre, CadreCategory, Org, PersonnelCategory
from ganxun.programs.models import Channel
from ganxun.stats import figures, panels
from ganxun.stats.percent import percent
from ganxun.stats.period import Period


@dataclass
class PeopleRow:
    """One line of a "by channel / rank / category / unit" table."""

    label: str
    person_times: int = 0  # 参训人次
    trainees: int = 0  # 参训人数
    attendances: int = 0  # 到课人次
    programs: int = 0  # 培训班（期）, by channel only
    cadres: int = 0  # active cadres (units and ranks)
    trained_active: int = 0
    org_id: int | None = None
    drill: bool = False

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.trained_active, self.cadres)


@dataclass
class TeachingRow:
    label: str
    sessions: int = 0
    hours: Decimal = Decimal("0.0")
    attendances: int = 0
    interactive: bool | None = None
    share: Decimal | None = None


@dataclass
class Report:
    node: Org
    period: Period
    programs: int = 0  # 培训班（期）
    projects: int = 0  # distinct brands (or names): 周末知行学堂 run in 4 cohorts counts once
    sessions: int = 0
    hours: Decimal = Decimal("0.0")
    interactive_sessions: int = 0
    total: PeopleRow = field(default_factory=lambda: PeopleRow(_("合计")))
    by_channel: list[PeopleRow] = field(default_factory=list)
    by_rank: list[PeopleRow] = field(default_factory=list)
    by_category: list[PeopleRow] = field(default_factory=list)  # tags (年轻干部 …)
    by_personnel_category: list[PeopleRow] = field(default_factory=list)
    hidden_categories: int = 0  # 人员类别 left out: fewer trainees than the anonymity threshold
    by_unit: list[PeopleRow] = field(default_factory=list)
    by_theme: list[TeachingRow] = field(default_factory=list)
    by_form: list[TeachingRow] = field(default_factory=list)
    satisfaction: panels.Panel | None = None
    compliance: panels.Panel | None = None
    budgets: panels.Panel | None = None

    @property
    def interactive_share(self) -> Decimal | None:
        return percent(self.interactive_sessions, self.sessions)

    @property
    def coverage(self) -> Decimal | None:
        return self.total.coverage

    @property
    def is_empty(self) -> bool:
        return not (self.programs or self.sessions or self.total.person_times)

    @property
    def headline(self) -> dict:
        """The figures the CLI prints and the reconciliation test compares."""
        return {
            "programs": self.programs,
            "projects": self.projects,
            "sessions": self.sessions,
            "hours": str(self.hours),
            "person_times": self.total.person_times,
            "trainees": self.total.trainees,
            "attendances": self.total.attendances,
            "cadres": self.total.cadres,
            "coverage": _plain(self.coverage),
            "interactive_share": _plain(self.interactive_share),
        }


def _plain(value):
    return None if value is None else str(value)


def stats_report(
    node: Org, period: Period, *, panels_wanted: bool = True, compliance_wanted: bool = True
) -> Report:
    """Every figure of the node and period. The caller checked the node is the actor's."""
    report = Report(node, period)
    children, under, drillable = figures.children_map(node)
    trained = figures.trainees_by_group(node, period)
    attended = figures.attendances_by_group(node, period)
    _people(report, children, under, drillable, trained, attended)
    _channels(report, trained, attended)
    _categories(report)
    _personnel_categories(report)
    _teaching(report, attended)
    if panels_wanted:
        report.satisfaction = panels.satisfaction(node, period)
        if compliance_wanted:
            report.compliance = panels.compliance(node, period)
        report.budgets = panels.budgets(node, period)
    return report


def _people(report: Report, children, under: dict, drillable: set, trained, attended) -> None:
    node = report.node
    cadres = figures.cadres_by_unit_rank(node)
    units = {c.pk: PeopleRow(c.name, org_id=c.pk, drill=c.pk in drillable) for c in children}
    units[node.pk] = PeopleRow(_("%(org)s（本级）") % {"org": node.name}, org_id=node.pk)
    ranks = {value: PeopleRow(str(label)) for value, label in Cadre.Rank.choices}
    for (unit, rank), n in cadres.items():
        for row in (units[under[unit]], ranks[rank], report.total):
            row.cadres += n
    for (unit, rank, active, _channel), (n, _people, first) in trained.items():
        for row in (units[under[unit]], ranks[rank], report.total):
            row.person_times += n
            row.trainees += first
            row.trained_active += first if active else 0
    for (unit, _channel, _theme), n in attended.items():
        units[under[unit]].attendances += n
        report.total.attendances += n
    own = units.pop(node.pk)
    report.by_unit = [units[c.pk] for c in children]
    if own.cadres or own.person_times or own.attendances:
        report.by_unit.append(own)
    report.by_rank = list(ranks.values())


def _channels(report: Report, trained: dict, attended: dict) -> None:
    node, period = report.node, report.period
    rows = {value: PeopleRow(str(label)) for value, label in Channel.choices}
    for (_unit, _rank, _active, channel), (n, people, _first) in trained.items():
        rows[channel].person_times += n
        rows[channel].trainees += people
    for (_unit, channel, _theme), n in attended.items():
        rows[channel].attendances += n
    programs = figures.node_programs(node, period)
    for channel, _brand, _name in programs:
        rows[channel].programs += 1
    report.programs = len(programs)
    report.projects = len({brand or name for _c, brand, name in programs})
    report.by_channel = list(rows.values())


def _categories(report: Report) -> None:
    trained = figures.trainees_by_category(report.node, report.period)
    names = dict(CadreCategory.objects.filter(pk__in=list(trained)).values_list("pk", "name"))
    report.by_category = [
        PeopleRow(names[pk], person_times=n, trainees=people)
        for pk, (n, people) in sorted(trained.items(), key=lambda kv: (-kv[1][0], names[kv[0]]))
    ]


def _personnel_categories(report: Report) -> None:
    """Like the rank table, by 人员类别. A category with trainees, but fewer than the anonymity
    threshold (``evaluations.policies.min_group``), is left out, as every small group of every
    breakdown is; its people stay in the totals of the other tables."""
    node, period = report.node, report.period
    trained = figures.trainees_by_personnel_category(node, period)
    cadres = figures.cadres_by_personnel_category(node)
    categories = PersonnelCategory.objects.order_by("sort", "pk")
    names = dict(categories.values_list("pk", "name"))
    order = [*names, None]  # the table's order (sort, pk), then 未填
    smallest = min_group()
    rows = []
    for pk in order:
        n, people, active = trained.get(pk, (0, 0, 0))
        if not (n or cadres.get(pk)):
            continue
        if 0 < people < smallest:
            report.hidden_categories += 1
            continue
        label = names.get(pk) or _("未填人员类别")
        rows.append(
            PeopleRow(
                label,
                person_times=n,
                trainees=people,
                cadres=cadres.get(pk, 0),
                trained_active=active,
            )
        )
    report.by_personnel_category = rows


def _teaching(report: Report, attended: dict) -> None:
    node, period = report.node, report.period
    rows = figures.sessions_by_form_theme(node, period)
    forms = {
        v: TeachingRow(str(label), interactive=v in INTERACTIVE_FORMS)
        for v, label in TeachingForm.choices
    }
    themes: dict[int | None, TeachingRow] = {}
    for row in rows:
        hours = row["hours"]
        for target in (forms[row["form"]], themes.setdefault(row["theme"], TeachingRow(""))):
            target.sessions += row["n"]
            target.hours += hours
        report.sessions += row["n"]
        report.hours += hours
        if row["form"] in INTERACTIVE_FORMS:
            report.interactive_sessions += row["n"]
    for (_unit, _channel, theme), n in attended.items():
        themes.setdefault(theme, TeachingRow("")).attendances += n
    names = dict(
        # scope: only the names of the themes of sessions counted under the checked node
        Theme._base_manager.filter(pk__in=[t for t in themes if t]).values_list("pk", "name")
    )
    no_theme = _("未设专题")
    for pk, row in themes.items():
        row.label = names.get(pk, no_theme) if pk else no_theme
    report.by_theme = sorted(
        themes.values(), key=lambda r: (r.label == no_theme, -r.sessions, r.label)
    )
    for row in forms.values():
        row.share = percent(row.sessions, report.sessions)
    report.by_form = [r for r in forms.values() if r.sessions]
