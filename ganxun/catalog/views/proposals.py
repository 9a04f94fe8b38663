"""Calls, proposals, selection rounds and the menu. Thin: parse, call one service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.accounts.models import Role
from ganxun.catalog import policies, services
from ganxun.catalog import selectors_proposals as sel
from ganxun.catalog.forms_proposals import (
    CallForm,
    ProposalForm,
    ReviewForm,
    RoundForm,
)
from ganxun.catalog.models import CallTarget, Course, RoundEntry
from ganxun.catalog.selectors import interactive_share
from ganxun.catalog.views.common import form_in, section
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import (
    action_view,
    attempt,
    form_view,
    remind_view,
    require,
)
from ganxun.core.scoping import children_of

ROUND_NAMES = ["初选", "复选", "定稿"]

# --- calls -----------------------------------------------------------------------------------


@require(policies.can_see_calls)
def call_list(request):
    calls = sel.calls_for(request.user)
    return section(request, "catalog/call_list.html", "calls", {"calls": calls})


def _call_form(request, call):
    if call is None:
        return CallForm(request.POST or None, actor=request.user)
    initial = {
        "title": call.title,
        "guidance": call.guidance,
        "deadline": call.deadline,
        "reviewers": [u.pk for u in call.reviewers.all()],
        # the through rows: reading the orgs themselves needs the actor's scope, ids do not
        "target_units": list(
            children_of(call, CallTarget, "call").values_list("unit_id", flat=True)
        ),
    }
    return CallForm(request.POST or None, actor=request.user, initial=initial)


def _to_call(call, saved=None):
    return reverse("catalog:call", args=[(saved or call).pk])


call_create = form_view(
    policies.can_edit_catalog,
    form=_call_form,
    save=lambda request, form, call: _save_call(request, form, call),
    success=lambda obj: _("已发布征集“{obj}”。").format(obj=obj),
    to=_to_call,
    page=form_in("calls", title=gettext_lazy("发起课程征集"), cancel=reverse_lazy("catalog:calls")),
)
call_edit = form_view(
    policies.can_edit_catalog,
    get=sel.get_call_for,
    form=_call_form,
    save=lambda request, form, call: _save_call(request, form, call),
    success=gettext_lazy("已保存。"),
    to=_to_call,
    page=form_in(
        "calls", title=lambda call: _("修改“%(call)s”") % {"call": call.title}, cancel=_to_call
    ),
)


def _save_call(request, form, call):
    d = form.cleaned_data
    return services.call_save(
        actor=request.user,
        call=call,
        title=d["title"],
        guidance=d["guidance"],
        deadline=d["deadline"],
        reviewers=list(d["reviewers"]),
        target_units=list(d["target_units"]),
    )


@require(policies.can_see_calls)
def call_detail(request, pk):
    actor = request.user
    call = sel.get_call_for(actor, pk)
    manages = policies.can_manage_call(actor, call)
    reviewer_ids = {u.pk for u in call.reviewers.all()}
    menu = list(sel.call_menu(call))
    context = {
        "call": call,
        "manages": manages,
        "reviews": policies.is_reviewer_of(actor, call, reviewer_ids),
        "can_propose": policies.can_propose(actor)
        and call.status == call.Status.OPEN
        and (actor.has_role(Role.ADMIN) or services.call_invites(call, actor.org)),
        "target_rows": sel.call_target_rows(call) if manages else [],
        "proposals": sel.call_proposals(actor, call),
        "rounds": sel.call_rounds(call) if manages or actor.pk in reviewer_ids else [],
        "menu": menu,
        "menu_share": _menu_share(menu),
        "round_form": RoundForm(),
        "round_names": ROUND_NAMES,
    }
    return section(request, "catalog/call_detail.html", "calls", context)


def _menu_share(menu) -> dict | None:
    if not menu:
        return None
    ids = [item.course_id for item in menu]
    # scope: the courses on the menu of a call the actor holds, each named by its menu item
    return interactive_share(Course._base_manager.filter(pk__in=ids))


# 提醒: the named units that have not answered (one, or all of them) get a reminder.
call_remind = remind_view(
    policies.can_edit_catalog,
    get=sel.get_call_for,
    field="unit",
    units=lambda call: [t.unit for t in sel.call_target_rows(call)],
    remind=lambda actor, call, units: services.call_remind(actor=actor, call=call, units=units),
    missing=gettext_lazy("该单位不在本次征集的单位中。"),
    to=lambda call: reverse("catalog:call", args=[call.pk]),
)


round_open = action_view(
    policies.can_edit_catalog,
    get=sel.get_call_for,
    form=RoundForm,
    invalid=gettext_lazy("请填写轮次名称。"),
    call=lambda request, call, data: services.round_open(
        actor=request.user, call=call, name=data["name"]
    ),
    success=lambda call, data, rnd: (
        _("已开启%(rnd)s，共 %(entered)s 项申报进入本轮。")
        % {"rnd": rnd, "entered": children_of(rnd, RoundEntry, "round").count()}
    ),
    to=lambda call: reverse("catalog:call", args=[call.pk]),
    done_to=lambda call, rnd: reverse("catalog:round", args=[rnd.pk]),
)


menu_finalize = action_view(
    policies.can_edit_catalog,
    get=sel.get_call_for,
    call=lambda request, call: services.menu_finalize(actor=request.user, call=call),
    success=lambda call, result: _menu_done(result),
    to=lambda call: reverse("catalog:call", args=[call.pk]),
)


def _menu_done(result: dict) -> str:
    extra = (
        _("，新增师资 %(new_lecturers)s 人") % {"new_lecturers": result["new_lecturers"]}
        if result["new_lecturers"]
        else ""
    )
    return _("培训菜单已生成：%(courses)s 门课程已发布到课程库%(extra)s。") % {
        "courses": result["courses"],
        "extra": extra,
    }


# --- rounds ----------------------------------------------------------------------------------


def _board_access(request, rnd) -> tuple[bool, bool]:
    manages = policies.can_manage_call(request.user, rnd.call)
    reviews = policies.is_reviewer_of(request.user, rnd.call)
    if not (manages or reviews):
        raise PermissionDenied()
    return manages, reviews


@require(policies.can_see_calls)
def round_board(request, pk):
    rnd = sel.get_round_for(request.user, pk)
    manages, reviews = _board_access(request, rnd)
    context = {
        "round": rnd,
        "call": rnd.call,
        "entries": sel.round_entries(request.user, rnd),
        "manages": manages,
        "reviews": reviews,
    }
    return section(request, "catalog/round_board.html", "calls", context)


round_close = action_view(
    policies.can_edit_catalog,
    get=sel.get_round_for,
    call=lambda request, rnd: services.round_close(actor=request.user, rnd=rnd),
    success=lambda rnd, _closed: _("%(rnd)s已结束。可开启下一轮，或生成培训菜单。") % {"rnd": rnd},
    to=lambda rnd: reverse("catalog:round", args=[rnd.pk]),
    done_to=lambda rnd, _closed: reverse("catalog:call", args=[rnd.call_id]),
)


def _entry_row(request, entry_pk, *, error: str = ""):
    """Re-render one row of the board after an htmx review or decision."""
    entry = sel.get_entry_for(request.user, entry_pk)
    rnd = entry.round
    manages, reviews = _board_access(request, rnd)
    row = next(e for e in sel.round_entries(request.user, rnd) if e.pk == entry.pk)
    context = {"e": row, "round": rnd, "manages": manages, "reviews": reviews, "error": error}
    return render(request, "catalog/_entry_row.html", context)


@require_POST
@require(policies.can_see_calls)
def entry_review(request, pk):
    entry = sel.get_entry_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _after_entry_change(request, entry, _("评分须为 0–100 的整数。"))
    saved = attempt(
        lambda: services.review_save(actor=request.user, entry=entry, **form.cleaned_data)
    )
    return _after_entry_change(request, entry, saved.error)


@require_POST
@require(policies.can_edit_catalog)
def entry_decide(request, pk):
    entry = sel.get_entry_for(request.user, pk)
    decision = request.POST.get("decision", "")
    decided = attempt(
        lambda: services.entry_decide(
            actor=request.user, entry=entry, decision=decision, note=request.POST.get("note", "")
        )
    )
    return _after_entry_change(request, entry, decided.error)


def _after_entry_change(request, entry: RoundEntry, error: str):
    if request.htmx:
        return _entry_row(request, entry.pk, error=error)
    if error:
        messages.error(request, error)
    return redirect("catalog:round", pk=entry.round_id)


# --- proposals -------------------------------------------------------------------------------


@require(policies.can_propose)
def proposal_home(request):
    """课程申报: calls from above still open, and where each of the unit's proposals stands."""
    context = {
        "calls": sel.open_calls_for_proposers(request.user),
        "proposals": sel.my_proposals(request.user),
    }
    return section(request, "catalog/proposal_home.html", "proposals", context)


proposal_create = form_view(
    policies.can_propose,
    get=sel.get_call_for,
    form=lambda request, _call: ProposalForm(request.POST or None, actor=request.user),
    save=lambda request, form, call: services.proposal_submit(
        actor=request.user, call=call, data=form.to_data()
    ),
    success=lambda obj: _("已申报“{obj}”。评审进展会显示在“课程申报”页。").format(obj=obj),
    to=lambda _call, proposal: reverse("catalog:proposal", args=[proposal.pk]),
    page=form_in(
        "proposals",
        title=lambda call: _("申报课程 · %(call)s") % {"call": call.title},
        cancel=_to_call,
        extra=lambda request, call: {"guidance": call.guidance},
    ),
)


@require(policies.can_see_calls)
def proposal_detail(request, pk):
    actor = request.user
    proposal = sel.get_proposal_for(actor, pk)
    manages = policies.can_manage_call(actor, proposal.call)
    entries = (
        RoundEntry.objects.visible_to(actor)
        .filter(proposal=proposal)
        .select_related("round")
        .prefetch_related("reviews__reviewer")
        .order_by("round__seq")
    )
    context = {
        "proposal": proposal,
        "entries": entries,
        "manages": manages,
        "editable": policies.can_manage_proposal(actor, proposal) and proposal.is_editable,
    }
    return section(request, "catalog/proposal_detail.html", "proposals", context)


def _to_proposal(proposal, _result=None):
    return reverse("catalog:proposal", args=[proposal.pk])


proposal_edit = form_view(
    policies.can_propose,
    get=sel.get_proposal_for,
    form=lambda request, proposal: ProposalForm(
        request.POST or None, actor=request.user, initial=ProposalForm.initial_for(proposal)
    ),
    save=lambda request, form, proposal: services.proposal_update(
        actor=request.user, proposal=proposal, data=form.to_data()
    ),
    success=gettext_lazy("已保存。"),
    to=_to_proposal,
    page=form_in(
        "proposals",
        title=lambda proposal: _("修改申报“%(proposal)s”") % {"proposal": proposal.title},
        cancel=_to_proposal,
    ),
)


proposal_withdraw = action_view(
    policies.can_propose,
    get=sel.get_proposal_for,
    call=lambda request, proposal: services.proposal_withdraw(
        actor=request.user, proposal=proposal
    ),
    success=lambda proposal, _result: _("已撤回“%(proposal)s”。") % {"proposal": proposal.title},
    to=_to_proposal,
)
