"""Outline review: the lecturer submits, the reviewing leader decides, the organizer watches
the sessions still without an approved outline."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.catalog import files
from ganxun.core.errors import PermissionDenied
from ganxun.core.http import action_view, paginate, require
from ganxun.programs import policies, selectors, services
from ganxun.programs.forms_sessions import DecisionForm, OutlineForm
from ganxun.programs.views.common import form_in, form_view, program_page, to_session


def _lecturer_of(actor, pk):
    session = selectors.get_session_for(actor, pk)
    if not policies.can_submit_outline(actor, session, list(session.lecturers.all())):
        raise PermissionDenied()
    return session


outline_submit = form_view(
    policies.can_use_programs,
    get=_lecturer_of,
    form=lambda request, _session: OutlineForm(request.POST or None, request.FILES or None),
    save=lambda request, form, session: services.outline_submit(
        actor=request.user,
        session=session,
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
    ),
    success=gettext_lazy("已提交授课提纲，等待审核。"),
    to=to_session,
    page=form_in(
        title=lambda session: _("提交授课提纲：%(title)s") % {"title": session.title},
        cancel=to_session,
        program=lambda session: session.program,
        multipart=True,
        guidance=lambda session: _guidance(session, selectors.session_outlines(session)),
    ),
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
