"""The organizer's pages of a program: quotas per unit, nominations to confirm or return,
self-selection (sessions, seats, limits) and the leave list with the over-limit flag."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.bulk import bulk_confirmed, repost_fields
from ganxun.core.http import (
    attempt,
    bulk_step,
    form_view,
    paginate,
    remind_view,
    require,
    run_action,
)
from ganxun.core.values import query_int
from ganxun.enrollment import selectors, services
from ganxun.enrollment.forms import (
    EligibilityFormSet,
    QuotaBulkForm,
    QuotaForm,
    ReturnForm,
    RulesForm,
)
from ganxun.enrollment.models import LeaveRequest, Nomination
from ganxun.enrollment.services import changes
from ganxun.enrollment.services import eligibility as eligibility_services
from ganxun.enrollment.views.common import program_page
from ganxun.enrollment.views.coverage import duty_notes, warn_duty_coverage
from ganxun.programs import policies as program_policies
from ganxun.programs.selectors import get_managed_program_for
from ganxun.programs.views.common import warn_double_bookings

manages = program_policies.can_manage_programs


def _quota_form(request, program, quota=None):
    initial = {}
    if quota is not None:
        initial = {
            "org": quota.org_id,
            "kind": quota.kind,
            "batch": quota.batch or "",
            "seats": quota.seats,
            "note": quota.note,
        }
    return QuotaForm(request.POST or None, actor=request.user, program=program, initial=initial)


def _save_quota(request, program, form, quota=None) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    return run_action(
        request,
        lambda: services.quota_save(
            actor=request.user,
            program=program,
            org=data["org"],
            kind=data["kind"],
            batch=data["batch"],
            seats=data["seats"],
            note=data["note"],
            quota=quota,
        ),
        success=_("已保存名额。"),
        form=form,
    )


@require(manages)
def program_quotas(request, pk):
    program = get_managed_program_for(request.user, pk)
    form = _quota_form(request, program)
    if _save_quota(request, program, form):
        # the form stays open for the next unit: quotas are given out one unit after another
        return redirect(reverse("enrollment:program_quotas", args=[program.pk]) + "?added=1")
    quotas = selectors.program_quotas(program)
    totals = {
        "seats": sum(q.seats for q in quotas),
        "used": sum(q.used for q in quotas),
        "confirmed": sum(q.confirmed for q in quotas),
    }
    keep_open = not quotas or form.errors or request.GET.get("added") == "1"
    context = {
        "quotas": quotas,
        "form": form,
        "totals": totals,
        "keep_open": keep_open,
        "quota_units": services.quota_units(program),
        "bulk_form": QuotaBulkForm(actor=request.user, program=program),
    }
    return program_page(request, "enrollment/program_quotas.html", program, "quotas", context)


@require(manages)
def quotas_bulk(request, pk):
    """批量分配名额: the form, then the preview table, then the write on confirming it."""
    program = get_managed_program_for(request.user, pk)
    form = QuotaBulkForm(request.POST or None, actor=request.user, program=program)
    allocation = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        args = {
            "actor": request.user,
            "program": program,
            "orgs": list(d["orgs"]),
            "mode": d["mode"],
            "number": d["number"],
            "kind": d["kind"],
            "batch": d["batch"],
        }
        step = bulk_step(
            request,
            form,
            preview=lambda: services.quotas_allocate_preview(**args),
            write=lambda fingerprint: services.quotas_allocate(**args, fingerprint=fingerprint),
        )
        allocation = step.preview
        if step.ok:
            messages.success(
                request, _("已分配名额：%(title)s。") % {"title": step.done.preview.title}
            )
            return redirect("enrollment:program_quotas", pk=program.pk)
    context = {
        "form": form,
        "allocation": allocation,
        "preview": allocation.preview if allocation else None,
        "repost": repost_fields(request) if allocation else [],
    }
    return program_page(request, "enrollment/quotas_bulk.html", program, "quotas", context)


# 提醒: units with seats that have nominated nobody (one, or all of them).
quotas_remind = remind_view(
    manages,
    get=get_managed_program_for,
    field="org",
    units=lambda program: [u.org for u in services.quota_units(program)],
    remind=lambda actor, program, orgs: services.quotas_remind(
        actor=actor, program=program, orgs=orgs
    ),
    missing=gettext_lazy("该单位在本项目没有名额。"),
    to=lambda program: reverse("enrollment:program_quotas", args=[program.pk]),
)


@require(manages)
def quota_edit(request, pk):
    quota = selectors.get_quota_for(request.user, pk)
    program = get_managed_program_for(request.user, quota.program_id)
    form = _quota_form(request, program, quota)
    if _save_quota(request, program, form, quota):
        return redirect("enrollment:program_quotas", pk=program.pk)
    context = {"form": form, "quota": quota}
    return program_page(request, "enrollment/quota_edit.html", program, "quotas", context)


@require_POST
@require(manages)
def quota_delete(request, pk):
    quota = selectors.get_quota_for(request.user, pk)
    get_managed_program_for(request.user, quota.program_id)
    run_action(
        request,
        lambda: services.quota_delete(actor=request.user, quota=quota),
        success=_("已删除名额。"),
    )
    return redirect("enrollment:program_quotas", pk=quota.program_id)


@require(manages)
def program_nominations(request, pk):
    program = get_managed_program_for(request.user, pk)
    status = request.GET.get("status", Nomination.Status.PENDING)
    if status not in Nomination.Status.values:
        status = ""
    preview = None
    if request.method == "POST":
        ids = {query_int(i) for i in request.POST.getlist("nomination")}
        chosen = [n for n in selectors.program_nominations(program, "pending") if n.pk in ids]
        if not chosen:
            messages.error(request, _("请先勾选要确认的报名。"))
            return redirect(request.get_full_path())
        # First a preview (how many, by unit, who fits no invited group); the write only on
        # confirming that same preview (core.bulk).
        confirmed, fingerprint = bulk_confirmed(request)
        if confirmed and _confirm_nominations(request, program, chosen, fingerprint):
            return redirect(request.get_full_path())
        preview = services.nominations_confirm_preview(
            actor=request.user, program=program, nominations=chosen
        )
        preview.notes = [*duty_notes(request.user, program, chosen), *preview.notes]
    context = {
        "preview": preview,
        "repost": repost_fields(request) if preview else [],
        "nominations": selectors.program_nominations(program, status),
        "status": status,
        "statuses": Nomination.Status.choices,
        "return_form": ReturnForm(),
    }
    return program_page(
        request, "enrollment/program_nominations.html", program, "nominations", context
    )


def _confirm_nominations(request, program, chosen, fingerprint) -> bool:
    """Confirm the previewed nominees; False (the message shown) when refused, stale included."""
    ok = run_action(
        request,
        lambda: services.nominations_confirm(
            actor=request.user, program=program, nominations=chosen, fingerprint=fingerprint
        ),
        success=_("已确认 %(n_chosen)s 人，并已向学员发送调训通知。") % {"n_chosen": len(chosen)},
    )
    if ok:
        warn_double_bookings(request, program=program, cadre_ids=[n.cadre_id for n in chosen])
        warn_duty_coverage(request, program=program, cadre_ids=[n.cadre_id for n in chosen])
    return bool(ok)


@require_POST
@require(manages)
def nomination_return(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    get_managed_program_for(request.user, nomination.program_id)
    note = request.POST.get("note", "")
    run_action(
        request,
        lambda: services.nomination_return(actor=request.user, nomination=nomination, note=note),
        success=_("已退回%(name)s的报名，并通知了单位联络员。") % {"name": nomination.cadre.name},
    )
    return redirect("enrollment:program_nominations", pk=nomination.program_id)


program_selection = form_view(
    manages,
    get=get_managed_program_for,
    form=lambda request, program: RulesForm(
        request.POST or None, initial=selectors.selection_rules(program)
    ),
    save=lambda request, form, program: services.selection_rules_save(
        actor=request.user,
        program=program,
        per_program=form.cleaned_data["per_program"],
        per_year=form.cleaned_data["per_year"],
    ),
    success=gettext_lazy("已保存选课限额。"),
    to=lambda program, _saved: reverse("enrollment:program_selection", args=[program.pk]),
    page=lambda request, form, program: program_page(
        request,
        "enrollment/program_selection.html",
        program,
        "selection",
        {"sessions": selectors.program_selection(program), "form": form},
    ),
)


@require(manages)
def session_seats(request, pk):
    session = selectors.get_program_session_for(request.user, pk)
    seats = selectors.session_seats(session)
    context = {
        "session": session,
        "enrolled": [s for s in seats if s.status == "enrolled"],
        "waiting": [s for s in seats if s.status == "waitlisted"],
        "cancelled": [s for s in seats if s.status == "cancelled"],
    }
    return program_page(
        request, "enrollment/session_seats.html", session.program, "selection", context
    )


@require_POST
@require(manages)
def session_promote(request, pk):
    session = selectors.get_program_session_for(request.user, pk)
    result = []
    run_action(
        request,
        lambda: result.extend(services.seats_promote(actor=request.user, session=session)),
        success=_("已按名额从候补中递补。"),
    )
    return redirect("enrollment:session_seats", pk=session.pk)


@require(manages)
def program_leave(request, pk):
    program = get_managed_program_for(request.user, pk)
    status = request.GET.get("status", "")
    if status not in LeaveRequest.Status.values:
        status = ""
    rows, shares = selectors.program_leave(program, status)
    over = [cid for cid, share in shares.items() if share.over_limit]
    context = {
        "rows": rows,
        "status": status,
        "statuses": LeaveRequest.Status.choices,
        "over_count": len(over),
        "limit_percent": f"{program.leave_limit * 100:.1f}",
    }
    return program_page(request, "enrollment/program_leave.html", program, "leave", context)


@require(manages)
def program_changes(request, pk):
    """变更待通知: what changed since the last notice, who gets what; confirm to send."""
    program = get_managed_program_for(request.user, pk)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("change") if i.isdigit()]
        sent = {}
        if run_action(
            request,
            lambda: sent.update(
                n=changes.changes_notify(actor=request.user, program=program, change_ids=ids)
            ),
            success=_("已发送更新的调训通知。"),
        ):
            messages.info(request, _("共发出 %(n)s 条消息。") % {"n": sent["n"]})
        return redirect("enrollment:program_changes", pk=program.pk)
    pending = changes.pending_changes(program)
    outgoing = changes.changes_preview(program, pending)
    context = {
        "pending": pending,
        "outgoing": outgoing,
        "page": paginate(request, outgoing, 20),  # whole notices: 20 keep the page under 60 KB
        "by_role": {
            key: sum(1 for o in outgoing if o.role == role)
            for key, role in (
                ("trainee", "学员"),
                ("teacher", "授课教师"),
                ("contact", "单位联络员"),
            )
        },
    }
    return program_page(request, "enrollment/program_changes.html", program, "changes", context)


def _group_initial(program) -> list[dict]:
    target = selectors.program_target(program)
    return [
        {
            "units": sorted(g.unit_ids),
            "ranks": sorted(g.ranks),
            "categories": sorted(g.category_ids),
            "leader_roles": sorted(g.leader_roles),
            "min_age": g.min_age,
            "max_age": g.max_age,
        }
        for g in target.groups
    ]


@require(manages)
def program_eligibility(request, pk):
    """培训对象: groups of invited cadres (any group fits); the text is generated from them."""
    program = get_managed_program_for(request.user, pk)
    kwargs = {"actor": request.user, "program": program}
    formset = EligibilityFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else _group_initial(program),
        form_kwargs=kwargs,
        prefix="g",
    )
    if request.method == "POST" and formset.is_valid():
        kept = [
            f
            for f in formset.forms
            if f.has_changed() and not f.cleaned_data.get("DELETE") and f.cleaned_data
        ]
        groups = [
            eligibility_services.GroupData(
                units=list(f.cleaned_data["units"]),
                ranks=f.cleaned_data["ranks"],
                categories=list(f.cleaned_data["categories"]),
                leader_roles=f.cleaned_data["leader_roles"],
                min_age=f.cleaned_data["min_age"],
                max_age=f.cleaned_data["max_age"],
            )
            for f in kept
        ]
        saved = attempt(
            lambda: eligibility_services.eligibility_save(
                actor=request.user, program=program, groups=groups
            )
        )
        if saved:
            messages.success(request, _("已保存培训对象。"))
            return redirect("enrollment:program_eligibility", pk=program.pk)
        # "2-units": the refusal belongs to a field of the third group kept
        index, _sep, name = (saved.exc.field or "").partition("-")
        form = kept[int(index)] if index.isdigit() and int(index) < len(kept) else None
        if form is not None:
            form.add_error(name if name in form.fields else None, saved.error)
        else:
            messages.error(request, saved.error)
    context = {"formset": formset, "target": selectors.program_target(program)}
    return program_page(
        request, "enrollment/program_eligibility.html", program, "eligibility", context
    )
