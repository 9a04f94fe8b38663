"""Needs surveys for administrators and unit contacts: create, distribute, track."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.audit import audit_record
from ganxun.core.exports import audited_download
from ganxun.core.http import (
    action_view,
    form_page_of,
    form_view,
    page_or_partial,
    paginate,
    require,
    run_action,
)
from ganxun.needs import exports, links, policies, selectors, services
from ganxun.needs.forms import OpenForm, SurveyCreateForm, TargetingForm
from ganxun.needs.targeting import Targeting, matching_cadres
from ganxun.orgs.selectors import get_org_for, org_choices
from ganxun.surveys.forms import QuestionnaireForm
from ganxun.surveys.selectors import question_counts
from ganxun.surveys.services import questionnaire_update


@require(policies.can_track_needs)
def survey_list(request):
    surveys = selectors.survey_list(request.user)
    return render(
        request,
        "needs/survey_list.html",
        {"page": paginate(request, surveys), "can_manage": policies.can_manage_needs(request.user)},
    )


def _to_survey(survey, saved=None) -> str:
    return reverse("needs:detail", args=[(saved if saved is not None else survey).pk])


survey_create = form_view(
    policies.can_manage_needs,
    form=lambda request, _none: SurveyCreateForm(
        request.POST or None,
        org_queryset=org_choices(request.user).filter(depth__lte=request.user.org.depth + 1),
        initial={"org": request.user.org_id},
    ),
    save=lambda request, form, _none: services.needs_survey_create(
        actor=request.user,
        org=form.cleaned_data["org"],
        title=form.cleaned_data["title"],
        template=form.cleaned_data["template"],
    ),
    success=gettext_lazy("已创建问卷草稿。请检查题目，再选择调研对象并发布。"),
    to=_to_survey,
    page=form_page_of(
        "needs/survey_form.html",
        title=gettext_lazy("新建需求调研"),
        cancel=reverse_lazy("needs:list"),
    ),
)


@require(policies.can_track_needs)
def survey_detail(request, pk):
    survey = selectors.get_survey_for(request.user, pk)
    manage = policies.manages_survey(request.user, survey)
    node = selectors.tracking_node(request.user, survey)
    return render(
        request,
        "needs/survey_detail.html",
        {
            "survey": survey,
            "q": survey.questionnaire,
            "manage": manage,
            "counts": question_counts(survey.questionnaire),
            "tracking": selectors.tracking(request.user, survey, node),
            "open_form": OpenForm(initial={"closes_at": survey.questionnaire.closes_at}),
            "runs": selectors.latest_runs(request.user, survey) if manage else [],
            "needs_count": selectors.common_needs(request.user, survey).count() if manage else 0,
        },
    )


def _survey_form(request, survey):
    q = survey.questionnaire
    return QuestionnaireForm(
        request.POST or None, initial={"title": q.title, "intro": q.intro, "closes_at": q.closes_at}
    )


survey_edit = form_view(
    policies.can_manage_needs,
    get=lambda actor, pk: selectors.get_survey_for(actor, pk, manage=True),
    form=_survey_form,
    save=lambda request, form, survey: questionnaire_update(
        actor=request.user, questionnaire=survey.questionnaire, **form.cleaned_data
    ),
    success=gettext_lazy("已保存。"),
    to=lambda survey, _result: _to_survey(survey),
    page=form_page_of(
        "needs/survey_form.html", title=gettext_lazy("修改问卷信息"), cancel=_to_survey
    ),
)


survey_open = action_view(
    policies.can_manage_needs,
    get=lambda actor, pk: selectors.get_survey_for(actor, pk, manage=True),
    form=OpenForm,
    invalid=gettext_lazy("截止时间格式不正确。"),
    call=lambda request, survey, data: services.needs_survey_open(
        actor=request.user, survey=survey, closes_at=data["closes_at"]
    ),
    success=gettext_lazy("问卷已发布，个人链接即刻生效。"),
    to=_to_survey,
)


survey_close = action_view(
    policies.can_manage_needs,
    get=lambda actor, pk: selectors.get_survey_for(actor, pk, manage=True),
    call=lambda request, survey: services.needs_survey_close(actor=request.user, survey=survey),
    success=gettext_lazy("问卷已结束，个人链接已失效。"),
    to=_to_survey,
)


# --- targeting -----------------------------------------------------------------------------------


@require(policies.can_manage_needs)
def targeting(request, pk):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    units = org_choices(request.user).filter(path__startswith=survey.questionnaire.org.path)
    form = TargetingForm(
        request.POST or request.GET or None,
        unit_queryset=units,
        within=str(survey.questionnaire.org_id),
    )
    context = {"survey": survey, "form": form}
    if not form.is_bound or form.is_valid():
        criteria = form.to_targeting() if form.is_bound else Targeting()
        if request.method == "POST" and run_action(
            request,
            lambda: services.respondents_add(actor=request.user, survey=survey, criteria=criteria),
            success=lambda result: (
                _("已新增 %(added)s 名调研对象（此前已邀请 %(already)s 人）。")
                % {"added": result["added"], "already": result["already"]}
            ),
            once=False,
        ):
            return redirect("needs:respondents", pk=survey.pk)
        context["matched"] = matching_cadres(
            request.user, survey.questionnaire.org, criteria, timezone.localdate()
        ).count()
    return page_or_partial(
        request, "needs/targeting.html", "needs/_targeting_preview.html", context
    )


# --- tracking ------------------------------------------------------------------------------------


def _node(request, survey):
    unit = request.GET.get("unit")
    node = (
        get_org_for(request.user, unit) if unit else selectors.tracking_node(request.user, survey)
    )
    if not node.path.startswith(
        survey.questionnaire.org.path
    ) and not survey.questionnaire.org.path.startswith(node.path):
        node = selectors.tracking_node(request.user, survey)
    return node


@require(policies.can_track_needs)
def respondents(request, pk):
    survey = selectors.get_survey_for(request.user, pk)
    node = _node(request, survey)
    context = {
        "survey": survey,
        "tracking": selectors.tracking(request.user, survey, node),
        "page": paginate(request, selectors.non_respondents(request.user, survey, node)),
        "manage": policies.manages_survey(request.user, survey),
        "query": request.GET.urlencode(),
    }
    return page_or_partial(request, "needs/respondents.html", "needs/_tracking.html", context)


def _status(respondent) -> str:
    if respondent.response_id:
        return _("已填写未提交")
    return _("已打开未填写") if respondent.opened_at else _("未打开")


@require(policies.can_track_needs)
def respondents_export(request, pk):
    survey = selectors.get_survey_for(request.user, pk)
    node = _node(request, survey)
    rows = [
        {
            "name": r.name,
            "unit": r.unit.name,
            "rank": r.get_rank_display(),
            "phone": r.cadre.phone if r.cadre else "",
            "status": _status(r),
            "link": links.link_url(request, r),
        }
        for r in selectors.non_respondents(request.user, survey, node)
    ]
    return audited_download(
        actor=request.user,
        content=exports.non_respondents_xlsx(survey.title, rows, actor=request.user),
        filename=f"non-respondents-{survey.pk}.xlsx",
        obj=survey,
        changes={"non_respondents": [None, len(rows)], "unit": [None, node.name]},
    )


@require(policies.can_track_needs)
def slips(request, pk):
    """Printable slips with each non-respondent's QR code, to hand out in a meeting."""
    survey = selectors.get_survey_for(request.user, pk)
    node = _node(request, survey)
    # 20 slips fill an A4 sheet; each inline QR code weighs about 2 KB
    page = paginate(request, selectors.non_respondents(request.user, survey, node), per_page=20)
    slips = [(r, links.qr_svg(links.link_url(request, r), scale=3)) for r in page]
    audit_record(
        actor=request.user, action="export", obj=survey, changes={"qr_slips": [None, len(slips)]}
    )
    return render(
        request, "needs/slips.html", {"survey": survey, "slips": slips, "page": page, "node": node}
    )


@require(policies.can_track_needs)
def respondent_qr(request, pk, rid):
    survey = selectors.get_survey_for(request.user, pk)
    respondent = selectors.get_respondent_for(request.user, survey, rid)
    svg = links.qr_svg(links.link_url(request, respondent), scale=6)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
@require(policies.can_manage_needs)
def respondent_reissue(request, pk, rid):
    survey = selectors.get_survey_for(request.user, pk, manage=True)
    respondent = selectors.get_respondent_for(request.user, survey, rid)
    services.respondent_reissue_link(actor=request.user, respondent=respondent)
    messages.success(
        request,
        _("已为 %(respondent)s 生成新链接，旧链接已失效。") % {"respondent": respondent.name},
    )
    return redirect("needs:respondents", pk=survey.pk)
