"""Sessions: the program's timetable, one session at a time or a recurring series, and the
session page with its outline and consultation."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.bulk import bulk_confirmed, repost_fields
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import action_view, apply_domain_error, attempt, require
from ganxun.core.values import query_int
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms_sessions import CopyForm, DecisionForm, SeriesForm, SessionForm
from ganxun.programs.services.consultations import representative_for
from ganxun.programs.views.common import (
    form_in,
    form_page,
    form_view,
    handle_form,
    managed,
    program_page,
    show_warnings,
    to_session,
)


@require(policies.can_use_programs)
def session_list(request, pk):
    actor = request.user
    program = selectors.get_program_for(actor, pk)
    sessions = selectors.program_sessions(program, include_cancelled=True)
    batch = request.GET.get("batch", "")
    if (number := query_int(batch, min_value=0)) is not None:
        sessions = sessions.filter(Q(batch=number) | Q(batch__isnull=True))
    context = {"sessions": sessions, "batch": batch, "units": selectors.program_units(program)}
    return program_page(request, "programs/sessions.html", program, "sessions", context)


def _show_result_warnings(request, result) -> None:
    show_warnings(request, result[1])


def _to_sessions(program, _result=None) -> str:
    return reverse("programs:sessions", args=[program.pk])


session_create = form_view(
    policies.can_manage_programs,
    get=selectors.get_managed_program_for,
    form=lambda request, program: SessionForm(
        request.POST or None,
        actor=request.user,
        program=program,
        initial={"main_venue": program.main_venue_id, "unit": request.GET.get("unit")},
    ),
    save=lambda request, form, program: services.session_save(
        actor=request.user,
        program=program,
        data=form.to_data(),
        accept_warnings=form.cleaned_data["accept_warnings"],
    ),
    success=gettext_lazy("已排课。"),
    after=_show_result_warnings,
    to=lambda _program, result: to_session(result[0]),
    page=form_in(title=gettext_lazy("排一次课"), cancel=_to_sessions, program=lambda p: p),
)
session_edit = form_view(
    policies.can_manage_programs,
    get=managed(selectors.get_session_for),
    form=lambda request, session: SessionForm(
        request.POST or None,
        actor=request.user,
        program=session.program,
        initial=SessionForm.initial_for(session),
    ),
    save=lambda request, form, session: services.session_save(
        actor=request.user,
        program=session.program,
        session=session,
        data=form.to_data(),
        accept_warnings=form.cleaned_data["accept_warnings"],
    ),
    success=gettext_lazy("已保存。"),
    after=_show_result_warnings,
    to=to_session,
    page=form_in(
        title=lambda session: _("调整课次：%(title)s") % {"title": session.title},
        cancel=to_session,
        program=lambda session: session.program,
    ),
)


@require(policies.can_manage_programs)
def session_series(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    initial = {
        "main_venue": program.main_venue_id,
        "start": program.start_date,
        "until": program.end_date,
        "weekdays": [5],
    }
    form = SeriesForm(request.POST or None, actor=request.user, program=program, initial=initial)
    # A preview of the sessions first (how many, by unit); they are written on confirming it.
    confirmed, fingerprint = bulk_confirmed(request)
    preview, result = None, None
    if request.method == "POST" and not confirmed:
        form.conflicts = []
        if form.is_valid():
            previewed = attempt(
                lambda: services.sessions_generate_preview(
                    actor=request.user, program=program, series=form.to_series()
                )
            )
            if not previewed:
                apply_domain_error(form, previewed.exc)
            preview = previewed.result
    else:
        result = handle_form(
            request,
            form,
            lambda: services.sessions_generate(
                actor=request.user,
                program=program,
                series=form.to_series(),
                accept_warnings=form.cleaned_data["accept_warnings"],
                fingerprint=fingerprint,
            ),
            success=_("已按规则生成课次。"),
        )
    if result:
        created, warnings = result
        messages.info(request, _("共生成 %(n_created)s 次课。") % {"n_created": len(created)})
        show_warnings(request, warnings)
        return redirect("programs:sessions", pk=program.pk)
    cancel = reverse("programs:sessions", args=[program.pk])
    guidance = _(
        "例如“每周六上午，连续 8 周”：重复方式选每周、勾选周六、填写次数 8"
        "；“每月第一个周末”：选每月第几个、第一个、勾选周六和周日。各课次按日期"
        "自动归入单元，全部通过冲突检查才会保存。"
    )
    return form_page(
        request,
        form,
        title=_("按规则批量排课"),
        cancel=cancel,
        program=program,
        guidance=guidance,
        preview=preview,
        repost=repost_fields(request) if preview else [],
    )


def _session_copy(request, form, session):
    starts_at, ends_at = form.times()
    return services.session_copy(
        actor=request.user,
        session=session,
        batch=form.cleaned_data["batch"],
        starts_at=starts_at,
        ends_at=ends_at,
        accept_warnings=form.cleaned_data["accept_warnings"],
    )


# Copy a session to another batch: same course, lecturers and rooms, shared outline.
session_copy = form_view(
    policies.can_manage_programs,
    get=managed(selectors.get_session_for),
    form=lambda request, session: CopyForm(
        request.POST or None, session=session, initial=CopyForm.initial_for(session)
    ),
    save=_session_copy,
    success=gettext_lazy("已复制到所选批次。"),
    after=_show_result_warnings,
    to=lambda _session, result: to_session(result[0]),
    page=form_in(
        title=lambda session: (
            _("复制到其他批次：%(title)s（%(batch_label)s）")
            % {"title": session.title, "batch_label": session.batch_label}
        ),
        cancel=to_session,
        program=lambda session: session.program,
        guidance=gettext_lazy(
            "课程、授课教师、主课堂和视频分课堂、学时与签到规则照原课次；同一课程同一教师的授课提纲两批共用，只需提交和审核一次。"
        ),
    ),
)


@require(policies.can_use_programs)
def session_detail(request, pk):
    actor = request.user
    session = selectors.get_session_for(actor, pk)
    program = session.program
    lecturers = list(session.lecturers.all())
    outlines = selectors.session_outlines(session)
    can_manage = policies.can_manage_program(actor, program)
    consultation = selectors.session_consultation(session)
    context = {
        "session": session,
        "lecturers": lecturers,
        "outlines": outlines,
        "due": session.outline_due(),
        "can_submit": policies.can_submit_outline(actor, session, lecturers),
        "can_review": policies.is_reviewer_of(actor, program),
        "decision_form": DecisionForm(),
        "consultation": consultation,
        "representative": representative_for(actor, session) if consultation else None,
        "show_trainees": can_manage or policies.teaches(actor, session, lecturers),
    }
    return program_page(request, "programs/session_detail.html", program, "sessions", context)


session_cancel = action_view(
    policies.can_manage_programs,
    get=selectors.get_session_for,
    call=lambda request, session: services.session_cancel(actor=request.user, session=session),
    success=gettext_lazy("已取消该课次。"),
    to=lambda session: reverse("programs:session", args=[session.pk]),
    once=False,
)


def _managed_session(actor, pk):
    session = selectors.get_session_for(actor, pk)
    if not policies.can_manage_program(actor, session.program):
        raise PermissionDenied()
    return session


session_delete = action_view(
    policies.can_manage_programs,
    get=_managed_session,
    call=lambda request, session: services.session_delete(actor=request.user, session=session),
    success=gettext_lazy("已删除该课次。"),
    to=lambda session: reverse("programs:session", args=[session.pk]),
    done_to=lambda session, _result: reverse("programs:sessions", args=[session.program_id]),
    once=False,
)


@require(policies.can_use_programs)
def timetable(request, pk):
    """A printable timetable of the program, for everybody or one batch."""
    program = selectors.get_program_for(request.user, pk)
    sessions = selectors.program_sessions(program)
    batch = query_int(request.GET.get("batch"), min_value=0)
    if batch is not None:
        sessions = sessions.filter(Q(batch=batch) | Q(batch__isnull=True))
    context = {
        "program": program,
        "sessions": sessions,
        "batch": batch,
        "units": {u.pk: u for u in selectors.program_units(program)},
    }
    return render(request, "programs/timetable.html", context)
