"""Common needs: start a clustering run, curate its clusters, confirm, link to courses."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.core.http import action_view, require, run_action
from ganxun.core.scoping import children_of, unscoped
from ganxun.core.values import query_int
from ganxun.needs import courses, curation, exports, policies, selectors
from ganxun.needs.analysis import DIMENSIONS, dimension
from ganxun.needs.forms import ClusterStartForm, LabelForm
from ganxun.needs.models import ClusterRun, NeedCourse
from ganxun.needs.text import SKIP_REASONS


def _text_questions(survey):
    return [q for q in selectors.survey_questions(survey) if q.is_text]


@require(policies.can_manage_needs)
def run_start(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    questions = _text_questions(survey)
    initial = {"question": next((q.pk for q in questions if q.kind == "long_text"), None)}
    form = ClusterStartForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST" and form.is_valid():
        question = next(q for q in questions if q.pk == form.cleaned_data["question"])
        started = run_action(  # a double click starts one run: (run, job) → the job
            request,
            lambda: curation.cluster_run_start(
                actor=request.user, survey=survey, question=question, k=form.cleaned_data["k"]
            )[1],
        )
        if started:
            return redirect("core:job", pk=started.result.pk)
    return render(
        request,
        "needs/run_start.html",
        {"survey": survey, "form": form, "runs": selectors.latest_runs(request.user, survey)},
    )


@require(policies.can_manage_needs)
def run_detail(request, pk):
    run = selectors.get_run_for(request.user, pk)
    dim = dimension(request.GET.get("dim", "rank"))
    views, groups = (
        selectors.cluster_overview(run, dim)
        if run.status != ClusterRun.Status.RUNNING
        else ([], [])
    )
    return render(
        request,
        "needs/run_detail.html",
        {
            "run": run,
            "survey": run.survey,
            "views": views,
            "groups": groups,
            "dim": dim,
            "dimensions": DIMENSIONS,
            "skipped": [(SKIP_REASONS.get(code, code), n) for code, n in run.skipped.items()],
            "kept": sum(1 for v in views if not (v.cluster.discarded or v.cluster.is_other)),
        },
    )


def _to_run(obj, _result=None) -> str:
    """Back to the run's page, from the run or one of its clusters."""
    return reverse("needs:run", args=[obj.pk if isinstance(obj, ClusterRun) else obj.run_id])


def _cluster_of(actor, pk, cid):
    return selectors.get_cluster_for(actor, selectors.get_run_for(actor, pk), cid)


def _merge(request, run):
    ids = [n for n in map(query_int, request.POST.getlist("cluster")) if n is not None]
    return curation.clusters_merge(
        actor=request.user, run=run, cluster_ids=ids, label=request.POST.get("label", "")
    )


clusters_merge = action_view(
    policies.can_manage_needs,
    get=selectors.get_run_for,
    call=_merge,
    success=lambda run, target: _("已合并为“%(label)s”。") % {"label": target.label},
    to=_to_run,
    once=False,
)


@require(policies.can_manage_needs)
def cluster_detail(request, pk, cid):
    run = selectors.get_run_for(request.user, pk)
    cluster = selectors.get_cluster_for(request.user, run, cid)
    return render(
        request,
        "needs/cluster_detail.html",
        {
            "run": run,
            "cluster": cluster,
            "members": selectors.cluster_members(cluster),
            "rename_form": LabelForm(initial={"label": cluster.label}),
        },
    )


cluster_rename = action_view(
    policies.can_manage_needs,
    get=_cluster_of,
    call=lambda request, cluster: curation.cluster_rename(
        actor=request.user, cluster=cluster, label=request.POST.get("label", "")
    ),
    to=_to_run,
    once=False,
)
cluster_discard = action_view(
    policies.can_manage_needs,
    get=_cluster_of,
    call=lambda request, cluster: curation.cluster_discard(
        actor=request.user, cluster=cluster, discarded=request.POST.get("restore") != "1"
    ),
    to=_to_run,
    once=False,
)


def _split(request, cluster):
    ids = [int(i) for i in request.POST.getlist("member") if i.isdigit()]
    return curation.cluster_split(
        actor=request.user, cluster=cluster, member_ids=ids, label=request.POST.get("label", "")
    )


cluster_split = action_view(
    policies.can_manage_needs,
    get=_cluster_of,
    call=_split,
    success=lambda cluster, new: _("已拆分出“%(label)s”。") % {"label": new.label},
    to=lambda cluster: reverse("needs:cluster", args=[cluster.run_id, cluster.pk]),
    done_to=_to_run,
    once=False,
)
run_confirm = action_view(
    policies.can_manage_needs,
    get=selectors.get_run_for,
    call=lambda request, run: curation.run_confirm(
        actor=request.user, run=run, shares=selectors.all_group_shares(run)
    ),
    success=lambda run, needs: _("已确认 %(count)s 项共性需求。") % {"count": len(needs)},
    to=_to_run,
    done_to=lambda run, _needs: reverse("needs:common_needs", args=[run.survey_id]),
    once=False,
)


# --- confirmed needs and courses -----------------------------------------------------------------


def _needs_with_courses(actor, survey):
    needs = list(selectors.common_needs(actor, survey))
    with unscoped():  # scope: the links of needs fetched through the actor's scope
        links = NeedCourse.objects.filter(
            need__in=needs, status__in=[NeedCourse.Status.CONFIRMED, NeedCourse.Status.SUGGESTED]
        ).select_related("course")
        by_need, waiting = {}, {}
        for link in links:
            if link.status == NeedCourse.Status.CONFIRMED:
                by_need.setdefault(link.need_id, []).append(link.course.title)
            else:
                waiting[link.need_id] = waiting.get(link.need_id, 0) + 1
    for need in needs:
        need.course_titles = by_need.get(need.pk, [])
        need.suggestions_waiting = waiting.get(need.pk, 0)  # suggested, nobody decided yet
    return needs


@require(policies.can_manage_needs)
def common_needs(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    needs = _needs_with_courses(request.user, survey)
    return render(
        request,
        "needs/common_needs.html",
        {
            "survey": survey,
            "needs": needs,
            "uncovered": [n for n in needs if not n.course_titles],
            "waiting": sum(n.suggestions_waiting for n in needs),
        },
    )


@require(policies.can_manage_needs)
def common_needs_export(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    needs = _needs_with_courses(request.user, survey)
    response = HttpResponse(
        exports.common_needs_xlsx(survey.title, needs, actor=request.user),
        content_type=exports.XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="common-needs-{survey.pk}.xlsx"'
    return response


@require_POST
@require(policies.can_manage_needs)
def courses_suggest(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    created = courses.need_courses_suggest(
        actor=request.user, needs=list(selectors.common_needs(request.user, survey))
    )
    messages.success(
        request, _("已生成 %(created)s 条课程建议，请逐条确认。") % {"created": created}
    )
    return redirect("needs:common_needs", pk=survey.pk)


@require(policies.can_manage_needs)
def need_courses(request, pk):
    need = selectors.get_need_for(request.user, pk)
    links = list(children_of(need, NeedCourse, "need").select_related("course"))
    q = request.GET.get("q", "").strip()
    found = courses.search_courses(request.user, q) if q else []
    return render(
        request,
        "needs/need_courses.html",
        {"need": need, "survey": need.survey, "links": links, "q": q, "found": found},
    )


@require_POST
@require(policies.can_manage_needs)
def need_course_decide(request, pk):
    need = selectors.get_need_for(request.user, pk)
    course_id = request.POST.get("course", "")
    if not course_id.isdigit():
        messages.error(request, _("请选择课程。"))
    else:
        run_action(
            request,
            lambda: courses.need_course_decide(
                actor=request.user,
                need=need,
                course_id=int(course_id),
                status=request.POST.get("status", ""),
            ),
            once=False,
        )
    return redirect("needs:need_courses", pk=need.pk)
