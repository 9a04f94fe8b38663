"""Budget pages. Thin: parse a form, call one service, render or redirect."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.budgets import exports, policies, selectors, services
from ganxun.budgets.forms import BudgetForm, ExpenseForm, IncomeForm
from ganxun.catalog import files
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.http import action_view, form_page_of, form_view, paginate, require
from ganxun.core.tables_xlsx import xlsx_download
from ganxun.core.values import query_int
from ganxun.programs.selectors import get_program_for


def _year(request) -> int | None:
    return query_int(request.GET.get("year"), min_value=2000, max_value=2100)


@require(policies.can_use_budgets)
def budget_list(request):
    year = _year(request)
    budgets = selectors.budget_list(request.user, year=year)
    page = paginate(request, budgets, 30)
    context = {
        "page": page,
        "figures": selectors.budget_figures(page.object_list),
        "year": year,
        "years": selectors.budget_years(request.user),
    }
    return render(request, "budgets/budget_list.html", context)


def _create_form(request, _none):
    program = None
    if request.GET.get("program"):
        program = get_program_for(request.user, request.GET["program"])
    initial = {"year": timezone.localdate().year}
    if program is not None:
        initial = {
            "year": program.start_date.year,
            "title": _("%(program)s经费") % {"program": program.full_name},
        }
    form = BudgetForm(request.POST or None, initial=initial)
    form.program = program
    return form


def _create_page(request, form, _none):
    program = form.program
    title = (
        _("为“%(program)s”建立经费预算") % {"program": program}
        if program
        else _("建立年度经费预算")
    )
    context = {"form": form, "title": title, "program": program, "cancel": reverse("budgets:list")}
    return render(request, "budgets/form.html", context)


budget_create = form_view(
    policies.can_use_budgets,
    form=_create_form,
    save=lambda request, form, _none: services.budget_create(
        actor=request.user, data=form.to_data(form.program)
    ),
    success=gettext_lazy("已建立经费预算。"),
    to=lambda _none, budget: reverse("budgets:detail", args=[budget.pk]),
    page=_create_page,
)


@require(policies.can_use_budgets)
def program_budget(request, pk):
    """The way in from a program page: its budget, or the form that creates it."""
    program = get_program_for(request.user, pk)
    budget = selectors.program_budget(request.user, program)
    if budget is not None:
        return redirect("budgets:detail", pk=budget.pk)
    if not policies.manages_org(request.user, program.org):
        raise NotFound(_("该项目还没有经费预算。"))
    return redirect(reverse("budgets:create") + f"?program={program.pk}")


def _detail_context(request, budget, income_form=None, expense_form=None) -> dict:
    return {
        "budget": budget,
        "fig": selectors.budget_figures([budget])[0],
        "incomes": selectors.budget_incomes(budget),
        "expenses": selectors.budget_expenses(budget),
        "can_manage": policies.can_manage_budget(request.user, budget),
        "income_form": income_form or IncomeForm(),
        "expense_form": expense_form or ExpenseForm(),
    }


@require(policies.can_use_budgets)
def budget_detail(request, pk):
    budget = selectors.get_budget_for(request.user, pk)
    return render(request, "budgets/budget_detail.html", _detail_context(request, budget))


def _managed_budget(actor, pk):
    budget = selectors.get_budget_for(actor, pk)
    if not policies.can_manage_budget(actor, budget):
        raise PermissionDenied()
    return budget


def _to_detail(budget, _result=None):
    return reverse("budgets:detail", args=[budget.pk])


def _detail_again(name: str):
    """A form posted from the budget's page that did not save: the page again, with the form
    (``name``: income_form, expense_form) as posted."""
    return lambda request, form, budget: render(
        request,
        "budgets/budget_detail.html",
        _detail_context(request, budget, **{name: form}),
        status=400,
    )


budget_edit = form_view(
    policies.can_use_budgets,
    get=_managed_budget,
    form=lambda request, budget: BudgetForm(
        request.POST or None,
        initial={k: getattr(budget, k) for k in ("title", "year", "amount", "note")},
    ),
    save=lambda request, form, budget: services.budget_update(
        actor=request.user, budget=budget, data=form.to_data(budget.program)
    ),
    success=gettext_lazy("已保存。"),
    to=_to_detail,
    page=form_page_of(
        "budgets/form.html",
        title=lambda budget: _("修改“%(budget)s”") % {"budget": budget},
        cancel=_to_detail,
    ),
)
income_add = form_view(
    policies.can_use_budgets,
    post_only=True,
    get=selectors.get_budget_for,
    form=lambda request, _budget: IncomeForm(request.POST),
    save=lambda request, form, budget: services.income_add(
        actor=request.user, budget=budget, data=form.to_data()
    ),
    success=gettext_lazy("已登记收入。"),
    to=_to_detail,
    page=_detail_again("income_form"),
)


def _expense_warning(request, saved) -> None:
    if saved.warning:
        messages.warning(request, saved.warning)


expense_add = form_view(
    policies.can_use_budgets,
    post_only=True,
    get=selectors.get_budget_for,
    form=lambda request, _budget: ExpenseForm(request.POST, request.FILES),
    save=lambda request, form, budget: services.expense_add(
        actor=request.user,
        budget=budget,
        data=form.to_data(),
        upload=form.cleaned_data.get("file"),
    ),
    success=gettext_lazy("已登记支出。"),
    after=_expense_warning,
    to=_to_detail,
    page=_detail_again("expense_form"),
)


def _budget_action(get, call, success, budget_of):
    # a budget gone or out of reach is its error page, not a message
    return action_view(
        policies.can_use_budgets,
        get=get,
        call=lambda request, obj: call(actor=request.user, obj=obj),
        success=success,
        to=lambda obj: reverse("budgets:detail", args=[budget_of(obj)]),
        once=False,
        passes=(NotFound, PermissionDenied),
    )


budget_close = _budget_action(
    selectors.get_budget_for,
    lambda actor, obj: services.budget_close(actor=actor, budget=obj),
    gettext_lazy("已结账：不再接受新的收支登记。"),
    lambda budget: budget.pk,
)
budget_reopen = _budget_action(
    selectors.get_budget_for,
    lambda actor, obj: services.budget_reopen(actor=actor, budget=obj),
    gettext_lazy("已重新开账。"),
    lambda budget: budget.pk,
)
income_delete = _budget_action(
    selectors.get_income_for,
    lambda actor, obj: services.income_delete(actor=actor, income=obj),
    gettext_lazy("已删除该笔收入。"),
    lambda income: income.budget_id,
)
expense_delete = _budget_action(
    selectors.get_expense_for,
    lambda actor, obj: services.expense_delete(actor=actor, expense=obj),
    gettext_lazy("已删除该笔支出。"),
    lambda expense: expense.budget_id,
)


expense_file = files.file_view(
    policies.can_use_budgets,
    get=selectors.get_expense_for,
    missing=gettext_lazy("该笔支出没有附件。"),
    inline=lambda expense: expense.content_type in ("application/pdf", "image/png", "image/jpeg"),
)


@require(policies.can_use_budgets)
def budget_export(request, pk):
    budget = selectors.get_budget_for(request.user, pk)
    return xlsx_download(
        actor=request.user,
        content=exports.budget_xlsx(request.user, budget),
        filename=f"budget-{budget.pk}-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        what=f"经费明细导出：{budget}",
        object_type="budgets.budget",
        params=f"budget={budget.pk}",
    )


@require(policies.can_use_budgets)
def budgets_export(request):
    year = _year(request)
    budgets = selectors.budget_list(request.user, year=year)
    return xlsx_download(
        actor=request.user,
        content=exports.budgets_xlsx(request.user, budgets, year),
        filename=f"budgets-{year or 'all'}-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        what="经费执行情况导出",
        object_type="budgets.budget",
        params=request.GET.urlencode(),
    )
