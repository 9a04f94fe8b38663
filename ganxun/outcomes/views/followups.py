"""Field follow-ups (一线调研) of a program and the follow-up sample checklist."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.core.http import action_view, form_view, paginate, require
from ganxun.outcomes import policies, selectors, services
from ganxun.outcomes.forms import FollowUpForm, SampleForm
from ganxun.outcomes.summary import behaviour
from ganxun.outcomes.views.common import form_in, program_page


@require(policies.can_see_summary)
def program_followups(request, pk):
    program = selectors.get_managed_program_for(request.user, pk)
    sample = selectors.latest_sample(program)
    checklist = selectors.sample_checklist(program, sample) if sample else []
    context = {
        "page": paginate(request, selectors.program_followups(program), per_page=30),
        "sample": sample,
        "checklist": checklist,
        "done": sum(1 for c in checklist if c["done"]),
        "sample_form": SampleForm(),
        "behaviour": behaviour(program),
    }
    return program_page(request, "outcomes/followups.html", program, "followups", context)


def _to_followups(program, _result=None) -> str:
    return reverse("outcomes:followups", args=[program.pk])


def _followup_form(request, program):
    wanted = [c for c in request.GET.getlist("cadre") if c.isdigit()]
    initial = {"cadres": wanted} if wanted else {}
    return FollowUpForm(
        request.POST or None, request.FILES or None, program=program, initial=initial
    )


followup_create = form_view(
    policies.can_see_summary,
    get=selectors.get_managed_program_for,
    form=_followup_form,
    save=lambda request, form, program: services.followup_create(
        actor=request.user,
        program=program,
        data=form.to_data(),
        uploads=form.cleaned_data["files"],
    ),
    success=gettext_lazy("已记录一线调研。"),
    to=_to_followups,
    page=form_in(
        title=gettext_lazy("记录一线调研"),
        cancel=_to_followups,
        program=lambda program: program,
        multipart=True,
        guidance=gettext_lazy(
            "培训结束数周后到学员所在单位走访：看学员把所学用在了哪里，按 1（未见应"
            "用）到 5（成效显著）评分，并附上照片或文件作为佐证。"
        ),
    ),
)


sample_create = action_view(
    policies.can_see_summary,
    get=selectors.get_managed_program_for,
    form=SampleForm,
    invalid=gettext_lazy("抽样比例应是 1 到 100 之间的百分数。"),
    call=lambda request, program, data: services.sample_create(
        actor=request.user, program=program, share=data["share"], seed=data["seed"]
    ),
    success=lambda program, data, sample: (
        _("已按单位分层抽取 %(n)s 名学员（随机种子 %(seed)s）。")
        % {"n": sample.members.count(), "seed": sample.seed}
    ),
    to=lambda program: _to_followups(program) + "#sample",
)


@require(policies.can_see_summary)
def followup_detail(request, pk):
    followup = selectors.get_followup_for(request.user, pk)
    return render(
        request, "outcomes/followup_detail.html", {"f": followup, "program": followup.program}
    )
