"""Statistics pages: the dashboard with drill-down, its Excel export and the printable annual
report. Thin: parse the period, fetch the node, call the one report selector, render."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.errors import NotFound
from ganxun.core.http import apply_domain_error, attempt, require
from ganxun.core.tables_xlsx import xlsx_download
from ganxun.core.values import query_int
from ganxun.stats import exports, policies, selectors
from ganxun.stats.charts import chart_data
from ganxun.stats.forms import PeriodForm
from ganxun.stats.period import Period
from ganxun.stats.tables import report_tables


def _parse(request) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.GET or None)
    if not request.GET:
        return form, Period.of_year(timezone.localdate().year)
    if not form.is_valid():
        return form, None
    period = attempt(form.period)
    if not period:
        apply_domain_error(form, period.exc)
    return form, period.result


def _unit_urls(report, period: Period) -> dict[int, str]:
    base = reverse("stats:dashboard")
    return {r.org_id: f"{base}?org={r.org_id}&{period.query()}" for r in report.by_unit if r.drill}


@require(policies.can_view_stats)
def dashboard(request):
    node = selectors.get_node_for(request.user, request.GET.get("org"))
    form, period = _parse(request)
    context = {"node": node, "form": form, "period": period, "years": _years(period)}
    context["trail"] = selectors.node_trail(request.user, node)
    if period is None:
        return render(request, "stats/dashboard.html", context, status=400)
    report = selectors.report_for(request.user, node, period, compliance_wanted=False)
    tables = report_tables(report)
    urls = _unit_urls(report, period)
    tables[2].links = [urls.get(r.org_id) if r.drill else None for r in report.by_unit]
    context.update(
        report=report,
        tables=tables,
        charts=chart_data(report, urls),
        query=f"org={node.pk}&{period.query()}",
    )
    return render(request, "stats/dashboard.html", context)


def _years(period: Period | None) -> list[int]:
    """Recent years for the picker, and the one shown even when it is further off."""
    this = timezone.localdate().year
    years = set(range(this - 5, this + 2))
    if period is not None and period.year:
        years.add(period.year)
    return sorted(years, reverse=True)


@require(policies.can_view_stats)
def export(request):
    node = selectors.get_node_for(request.user, request.GET.get("org"))
    _form, period = _parse(request)
    if period is None:
        raise NotFound(_("统计区间无效。"))
    report = selectors.report_for(request.user, node, period)
    title = _("%(org)s%(period)s干部教育培训统计") % {"org": node.name, "period": period.label}
    return xlsx_download(
        actor=request.user,
        content=exports.report_xlsx(request.user, report, title),
        filename=f"stats-{node.code}-{period.query().replace('&', '_').replace('=', '')}.xlsx",
        what=f"统计报表导出：{title}",
        object_type="stats.report",
        params=f"org={node.pk}&{period.query()}",
    )


@require(policies.can_view_stats)
def annual(request):
    """年度干部教育培训工作统计: the headline in words, then the tables, ready to print."""
    node = selectors.get_node_for(request.user, request.GET.get("org"))
    year = query_int(request.GET.get("year"), timezone.localdate().year, min_value=1)
    of_year = attempt(lambda: Period.of_year(year))
    if not of_year:
        raise NotFound(of_year.error)
    period = of_year.result
    report = selectors.report_for(request.user, node, period)
    context = {
        "node": node,
        "report": report,
        "tables": report_tables(report),
        "sentences": exports.headline_sentences(report),
        "printed_at": timezone.localtime(),
    }
    return render(request, "stats/annual.html", context)


@require(policies.can_view_stats)
def compliance(request):
    """The 学时达标 panel, fetched by the dashboard after it has rendered (htmx)."""
    node = selectors.get_node_for(request.user, request.GET.get("org"))
    _form, period = _parse(request)
    if period is None:
        raise NotFound(_("统计区间无效。"))
    panel = selectors.compliance_for(request.user, node, period)
    return render(request, "stats/_compliance.html", {"panel": panel})
