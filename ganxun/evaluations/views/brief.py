"""The lecturer's brief before (and after) a session: one printable page."""

from django.shortcuts import render

from ganxun.core.http import require
from ganxun.evaluations.selectors import brief as briefs
from ganxun.programs.policies import can_use_programs


@require(can_use_programs)
def session_brief(request, pk):
    session = briefs.get_brief_session_for(request.user, pk)
    return render(
        request,
        "evaluations/brief.html",
        {"session": session, **briefs.brief(request.user, session)},
    )
