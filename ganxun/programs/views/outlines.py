"""Outline review: the lecturer submits, the reviewing leader decides, the organizer watches
the sessions still without an approved outline."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import files
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import action_view, paginate, require
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms_sessions import DecisionForm, OutlineForm
from ganxun.programs.views.common import form_page, handle_form, program_page


@require(policies.can_use_programs)
def outline_submit(request, pk):
    actor = request.user
    session = selectors.get_session_for(actor, pk)
    if not policies.can_submit_outline(actor, session, list(session.lecturers.all())):
        raise PermissionDenied()
    form = OutlineForm(request.POST or None, request.FILES or None)
    if handle_form(
        request,
        form,
        lambda: services.outline_submit(
            actor=actor,
            session=session,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
        ),
        success=_("已提交授课提纲，等待审核。"),
    ):
        return redirect("programs:session", pk=session.pk)
    outlines = selectors.session_outlines(session)
    return form_page(
        request,
        form,
        title=_("提交授课提纲：%(title)s") % {"title": session.title},
        cancel=reverse("programs:session", args=[session.pk]),
        program=session.program,
        multipart=True,
        guidance=_guidance(session, outlines),
    )


def _guidance(session, outlines) -> str:
    from django.utils import timezone

    due = timezone.localtime(session.outline_due())
    lines = [
        _("提交截止：%(due)s（退回修改后可在开课前重新提交）。")
        % {"due": format(due, "%Y-%m-%d %H:%M")}
    ]
    returned = next((o for o in outlines if o.decisions.all()), None)
    if returned and returned.decisions.all()[0].decision == "returned":
        lines.append(
            _("上一版（第%(version)s版）审核意见：%(comment)s")
            % {"version": returned.version, "comment": returned.decisions.all()[0].comment}
        )
    return "\n".join(lines)


outline_file = files.file_view(
    policies.can_use_programs,
    get=selectors.get_outline_for,
    missing=gettext_lazy("该版本没有上传文件。"),
    inline=lambda outline: outline.content_type == "application/pdf",
)


outline_decide = action_view(
    policies.can_review_outlines,
    get=selectors.get_outline_for,
    form=DecisionForm,
    invalid=gettext_lazy("请选择审核结论。"),
    call=lambda request, outline, data: services.outline_decide(
        actor=request.user,
        outline=outline,
        decision=data["decision"],
        comment=data["comment"],
    ),
    success=lambda outline, data, _result: (
        _("已通过该提纲。") if data["decision"] == "approved" else _("已退回修改。")
    ),
    to=lambda outline: reverse("programs:session", args=[outline.session_id]),
    once=False,
)


@require(policies.can_review_outlines)
def review_queue(request):
    sessions = selectors.outlines_to_review(request.user)
    return render(request, "programs/review_queue.html", {"page": paginate(request, sessions, 30)})


@require(policies.can_manage_programs)
def pending_outlines(request):
    sessions = selectors.sessions_without_approved_outline(request.user)
    return render(
        request, "programs/pending_outlines.html", {"page": paginate(request, sessions, 50)}
    )


@require(policies.can_use_programs)
def program_outlines(request, pk):
    program = selectors.get_program_for(request.user, pk)
    user = request.user
    if not (
        policies.can_manage_programs(user)
        or policies.is_reviewer_of(user, program)
        or policies.can_teach(user)
    ):
        raise PermissionDenied()
    sessions = selectors.program_sessions(program)
    return program_page(
        request, "programs/program_outlines.html", program, "outlines", {"sessions": sessions}
    )
