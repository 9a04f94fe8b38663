"""Pages of the roster import: upload, progress, preview (rows by status), commit, template."""

from pathlib import Path

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound
from ganxun.core.forms import StyledForm
from ganxun.core.http import require
from ganxun.core.import_views import ImportSteps, rows_context, upload_start
from ganxun.core.models import Job
from ganxun.core.picker import use_picker
from ganxun.orgs import policies, selectors, services
from ganxun.orgs.exports import write_roster_template
from ganxun.orgs.forms import OrgChoiceField
from ganxun.orgs.models import Org, RankTitle
from ganxun.orgs.roster.jobs import (
    KINDS,
    PREVIEW,
    job_folder,
    roster_commit_start,
    roster_preview_again,
    roster_preview_start,
    save_upload,
)
from ganxun.orgs.roster.plan import ERROR, NEW, STATUSES, UNCHANGED, UPDATE
from ganxun.orgs.roster.report import RowList

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_LABELS = {
    ERROR: gettext_lazy("有错误"),
    NEW: gettext_lazy("新增"),
    UPDATE: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("未变"),
}


class ImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("名册文件"),
        help_text=gettext_lazy(
            "支持 Excel（.xlsx、.xls）和 CSV（UTF-8 或 GBK 编码），不超过 50 MB。"
        ),
    )
    default_rank = forms.ModelChoiceField(
        label=gettext_lazy("未写职级的新登记人员按此职级登记"),
        queryset=RankTitle.objects.order_by("sort", "pk"),
        required=False,
        help_text=gettext_lazy(
            "任免审批表（.lrmx）没有职级栏：现任职务中写明职级的（如“四级调研员”“（正科级）”）"
            "按所写登记，其余新登记人员按此处所选登记；留空则这些人列为错误。"
        ),
    )
    root = OrgChoiceField(
        label=gettext_lazy("导入范围（名册中的单位须在其下）"), queryset=Org.objects.none()
    )
    create_units = forms.BooleanField(label=gettext_lazy("找不到的单位自动新建"), required=False)
    units_parent = OrgChoiceField(
        label=gettext_lazy("新建单位的上级"), queryset=Org.objects.none(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        choices = selectors.org_choices(actor)
        self.fields["root"].queryset = choices
        self.fields["root"].initial = actor.org_id
        use_picker(self.fields["root"], "org")
        if policies.can_manage_orgs(actor):
            self.fields["units_parent"].queryset = choices
            self.fields["units_parent"].help_text = gettext_lazy("留空则建在“导入范围”之下。")
            use_picker(self.fields["units_parent"], "org")
        else:  # only administrators may add units to the tree
            del self.fields["create_units"], self.fields["units_parent"]

    def units_parent_or_none(self) -> Org | None:
        d = self.cleaned_data
        if not d.get("create_units"):
            return None
        return d.get("units_parent") or d["root"]


@require(policies.can_edit_roster)
def roster_import(request):
    form = ImportForm(request.POST or None, request.FILES or None, actor=request.user)
    started = upload_start(
        request,
        form,
        lambda **stored: roster_preview_start(
            actor=request.user,
            root=form.cleaned_data["root"],
            create_units_under=form.units_parent_or_none(),
            default_rank=getattr(form.cleaned_data["default_rank"], "pk", None),
            **stored,
        ),
        store=save_upload,
        job_url="cadres:import_job",
        field=lambda exc: "file" if exc.code != "forbidden" else None,
    )
    if started:
        return started
    return render(request, "orgs/import_form.html", {"form": form})


STEPS = ImportSteps(
    policies.can_edit_roster,
    kinds=KINDS,
    preview_kind=PREVIEW,
    commit=roster_commit_start,
    urls=("cadres:import_job", "cadres:import_detail"),
    templates=("orgs/import_job.html", "orgs/import_progress.html"),
)
import_job = STEPS.progress_view()
import_commit = STEPS.commit_view()


@require(policies.can_edit_roster)
def import_detail(request, pk):
    """Counts and the rows by status (errors first); the commit button on a preview."""
    job = STEPS.job(request, pk)
    if job.status != Job.Status.SUCCEEDED:
        return redirect("cadres:import_job", pk=job.pk)
    counts = job.result.get("counts", {})
    status = request.GET.get("status", "")
    statuses = (status,) if status in STATUSES else STATUSES
    rows = RowList(_job_folder(job), counts, statuses)
    context = rows_context(
        request, job, rows, statuses=STATUSES, labels=STATUS_LABELS, preview_kind=PREVIEW
    )
    context.update(
        can_commit=job.kind == PREVIEW and (counts.get(NEW, 0) or counts.get(UPDATE, 0)),
        root=Org.objects.visible_to(request.user).filter(pk=job.params.get("root")).first(),
        can_add_tags=policies.can_manage_orgs(request.user) and job.kind == PREVIEW,
    )
    return render(request, "orgs/import_detail.html", context)


def _job_folder(job: Job) -> Path:
    return job_folder(job.pk)


@require_POST
@require(policies.can_manage_orgs)
def import_add_tag(request, pk):
    """ "Add this tag": a tag the preview warned about joins the list, and the file is
    previewed again so its rows now carry it."""
    preview = STEPS.job(request, pk)
    name = request.POST.get("name", "").strip()
    if preview.kind != PREVIEW or name not in preview.result.get("unknown_tags", {}):
        raise NotFound()
    services.tag_add(actor=request.user, name=name)
    job = roster_preview_again(actor=request.user, preview=preview)
    return redirect("cadres:import_job", pk=job.pk)


@require(policies.can_edit_roster)
def import_template(request):
    response = HttpResponse(write_roster_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response
