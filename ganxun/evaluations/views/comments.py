"""Moderating a session's comments (organizers of the program) — one page with a filter by
status and a form for bulk decisions."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.errors import PermissionDenied
from ganxun.core.http import require, run_action
from ganxun.evaluations import policies, selectors, services
from ganxun.evaluations.models import CommentReview

FILTERS = [
    ("pending", gettext_lazy("待审核")),
    *CommentReview.Status.choices,
    ("all", gettext_lazy("全部")),
]


class ReviewForm(forms.Form):
    status = forms.ChoiceField(choices=CommentReview.Status.choices)
    note = forms.CharField(max_length=200, required=False)
    comments = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = [(i, i) for i in ids]


def _said(result) -> str:
    text = _("已处理 %(changed)s 条意见。") % result
    if result["unchanged"]:
        text += _("另有 %(unchanged)s 条原已是该状态，未改动。") % result
    return text


@require(policies.can_manage_evaluations)
def session_comments(request, pk):
    session = selectors.get_session_results_for(request.user, pk)
    if not policies.can_read_answers(request.user, session.program):
        raise PermissionDenied()
    every = selectors.session_comments(session)
    if request.method == "POST":
        form = ReviewForm(request.POST, ids=[c["id"] for c in every])
        if not form.is_valid():
            messages.error(request, _("所选意见已变化，请刷新页面后重试。"))
        else:
            data = form.cleaned_data
            run_action(
                request,
                lambda: services.comments_review(
                    actor=request.user,
                    session=session,
                    answer_ids=data["comments"],
                    status=data["status"],
                    note=data["note"],
                ),
                success=_said,
            )
        return redirect(request.get_full_path())
    shown = request.GET.get("status", "pending")
    if shown not in dict(FILTERS):
        shown = "pending"
    comments = [c for c in every if shown == "all" or c["status"] == shown]
    counts = selectors.status_counts(session)
    return render(
        request,
        "evaluations/session_comments.html",
        {
            "session": session,
            "comments": comments,
            "filters": [(key, label, counts.get(key, len(every))) for key, label in FILTERS],
            "shown": shown,
            "statuses": CommentReview.Status.choices,
            "threshold": policies.min_group(),
            "forms": selectors.session_results(request.user, session).get("responses", 0),
        },
    )


@require(policies.can_manage_evaluations)
def pending_comments(request):
    return render(
        request,
        "evaluations/pending_comments.html",
        {"sessions": selectors.sessions_with_pending(request.user)},
    )
