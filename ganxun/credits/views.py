"""Compliance pages (学时达标), the 培训档案 of a cadre and corrections. Thin: parse, call one
selector or service, render."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.errors import NotFound
from ganxun.core.exports import audited_download
from ganxun.core.http import form_view, require
from ganxun.credits import policies, promotion, selectors, services
from ganxun.credits.exports import write_compliance
from ganxun.credits.forms import EntryForm, ReverseForm, YearForm
from ganxun.orgs.selectors import org_ancestors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORTFALLS_SHOWN = 50  # the page stays under 60 KB; the export has everyone
PROMOTIONS_SHOWN = 20  # with the 50 shortfalls the page stays under 60 KB


@require(policies.can_view_compliance)
def index(request):
    return redirect("credits:org", pk=request.user.org_id)


def promotions_shown(checks: list) -> dict:
    """The most urgent promotions (overdue first, then the soonest due), at most
    ``PROMOTIONS_SHOWN`` of them, grouped by unit; and how many there are in each state, since a
    city has thousands of promotions in two years and the page must stay readable."""
    counts = Counter(p.state for p in checks)
    open_ = sorted(
        (p for p in checks if p.state != promotion.DONE),
        key=lambda p: (p.state != promotion.OVERDUE, p.due),
    )
    shown = sorted(open_[:PROMOTIONS_SHOWN], key=lambda p: (p.unit_name, p.due))
    return {
        "promotions": shown,
        "promotion_counts": {state: counts.get(state, 0) for state in promotion.STATES},
        "promotions_hidden": len(open_) - len(shown),
    }


@require(policies.can_view_compliance)
def org_compliance(request, pk):
    """A unit's compliance: share compliant, per child unit (drill down), per rank, shortfalls."""
    org = selectors.get_org_for(request.user, pk)
    form = YearForm(request.GET or None)
    year, rank = form.chosen_year(), form.chosen_rank()
    report = selectors.compliance_report(org, year, rank=rank, limit=SHORTFALLS_SHOWN)
    context = {
        "org": org,
        "form": form,
        "year": year,
        "rank": rank,
        "report": report,
        "ancestors": [a for a in org_ancestors(org) if a.path.startswith(request.user.org.path)],
        "shortfalls": selectors.with_cadres(report.shortfalls[:SHORTFALLS_SHOWN]),
        "shown": SHORTFALLS_SHOWN,
        "can_manage_rules": policies.can_manage_rules(request.user),
        **promotions_shown(selectors.promotion_training(org)),
    }
    return render(request, "credits/org.html", context)


@require(policies.can_view_compliance)
def org_export(request, pk):
    """The unit's list for annual appraisal: everyone (default) or only the shortfalls."""
    org = selectors.get_org_for(request.user, pk)
    form = YearForm(request.GET or None)
    year, rank = form.chosen_year(), form.chosen_rank()
    only_short = request.GET.get("only") == "short"
    report = selectors.compliance_report(
        org, year, keep="short" if only_short else "all", rank=rank
    )
    return audited_download(
        actor=request.user,
        content=write_compliance(report, only_short=only_short, actor=request.user),
        filename=f"compliance-{org.code}-{year}{'-short' if only_short else ''}.xlsx",
        obj=org,
        changes={"year": year, "only_short": only_short},
    )


@login_required
def mine(request):
    """The trainee's own 培训档案."""
    if not request.user.cadre_id:
        raise NotFound(_("您的账号未关联干部信息。"))
    return redirect("credits:cadre", pk=request.user.cadre_id)


@login_required
def cadre_record(request, pk):
    """培训档案: every entry, totals by channel and year, and what the year still lacks."""
    cadre = selectors.get_cadre_for(request.user, pk)
    form = YearForm(request.GET or None)
    record = selectors.cadre_record(cadre, form.chosen_year())
    may_record = policies.can_record_credits(request.user)
    context = {
        "cadre": cadre,
        "record": record,
        "form": form,
        "may_record": may_record,
        "entry_form": EntryForm() if may_record else None,
        "back": reverse("credits:org", args=[cadre.unit_id])
        if policies.can_view_compliance(request.user)
        else None,
    }
    return render(request, "credits/cadre.html", context)


def _record_again(request, form, cadre):
    record = selectors.cadre_record(cadre, YearForm().chosen_year())
    context = {"cadre": cadre, "record": record, "form": YearForm(), "may_record": True,
               "entry_form": form, "back": None}  # fmt: skip
    return render(request, "credits/cadre.html", context, status=400)


entry_new = form_view(
    policies.can_record_credits,
    post_only=True,
    get=selectors.get_cadre_for,
    form=lambda request, _cadre: EntryForm(request.POST),
    save=lambda request, form, cadre: services.entry_record(
        actor=request.user, data=form.to_data(cadre)
    ),
    success=gettext_lazy("已登记学时。"),
    to=lambda cadre, _entry: reverse("credits:cadre", args=[cadre.pk]),
    page=_record_again,
)
# Correct an entry: a reversing entry with a reason (entries are never edited).
entry_reverse = form_view(
    policies.can_record_credits,
    get=selectors.get_entry_for,
    form=lambda request, _entry: ReverseForm(request.POST or None),
    save=lambda request, form, entry: services.entry_reverse(
        actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
    ),
    success=gettext_lazy("已冲销该记录。"),
    to=lambda entry, _result: reverse("credits:cadre", args=[entry.cadre_id]),
    page=lambda request, form, entry: render(
        request, "credits/reverse.html", {"entry": entry, "form": form}
    ),
)
