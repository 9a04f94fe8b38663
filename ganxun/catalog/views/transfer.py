"""Excel import (upload → progress → preview → commit) and export of courses and faculty."""

from pathlib import Path

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ganxun.catalog import policies, selectors
from ganxun.catalog.forms_filters import course_filter_form, lecturer_filter_form
from ganxun.catalog.importing.exports import write_xlsx
from ganxun.catalog.importing.run import (
    KINDS,
    NEW,
    PREVIEW,
    STATUS_LABELS,
    STATUSES,
    TITLES,
    UPDATE,
    commit_start,
    import_start,
)
from ganxun.catalog.views.common import section
from ganxun.core.errors import DomainError, NotFound
from ganxun.core.exports import audited_download
from ganxun.core.forms import StyledForm
from ganxun.core.http import require, run_action
from ganxun.core.idempotency import submit_once
from ganxun.core.jobs import job_for
from ganxun.core.models import Job
from ganxun.orgs.roster.jobs import save_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_URLS = {"courses": "catalog:courses", "lecturers": "catalog:lecturers"}


class UploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        help_text=gettext_lazy(
            "支持 .xlsx、.xls 和 CSV（UTF-8 或 GBK），不超过 50 MB；"
            "表头可用模板中的列名或常见写法。"
        ),
    )


def _upload(request, what: str):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # stored inside the keyed call: a repeated post stores nothing and starts nothing
            job = submit_once(
                request,
                lambda: import_start(
                    actor=request.user,
                    what=what,
                    path=save_upload(upload),
                    filename=Path(upload.name).name,
                ),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("catalog:import_job", pk=job.pk)
    context = {"form": form, "what": what, "noun": TITLES[what]}
    return section(request, "catalog/import_form.html", what, context)


@require(policies.can_edit_catalog)
def course_import(request):
    return _upload(request, "courses")


@require(policies.can_edit_catalog)
def lecturer_import(request):
    return _upload(request, "lecturers")


def _import_job(request, pk) -> Job:
    job = job_for(request.user, pk)
    if job is None or job.kind not in KINDS:
        raise NotFound()
    return job


@require(policies.can_edit_catalog)
def import_job(request, pk):
    """Progress, polled by htmx; sent on to the preview once the job has succeeded."""
    job = _import_job(request, pk)
    if job.status == Job.Status.SUCCEEDED:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("catalog:import_rows", args=[job.pk])
            return response
        return redirect("catalog:import_rows", pk=job.pk)
    template = "catalog/_import_progress.html" if request.htmx else "catalog/import_job.html"
    return render(request, template, {"job": job, "what": job.params.get("what", "courses")})


@require(policies.can_edit_catalog)
def import_rows(request, pk):
    job = _import_job(request, pk)
    if job.status != Job.Status.SUCCEEDED:
        return redirect("catalog:import_job", pk=job.pk)
    result = job.result
    counts = result.get("counts", {})
    status = request.GET.get("status", "")
    records = result.get("records", [])
    if status in STATUSES:
        records = [r for r in records if r["status"] == status]
    else:
        order = {s: i for i, s in enumerate(STATUSES)}
        records = sorted(records, key=lambda r: (order[r["status"]], r["row"]))
    what = job.params["what"]
    context = {
        "job": job,
        "what": what,
        "noun": TITLES[what],
        "result": result,
        "counts": [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in STATUSES],
        "status": status,
        "page": Paginator(records, 50).get_page(request.GET.get("page")),
        "is_preview": job.kind == PREVIEW,
        "can_commit": job.kind == PREVIEW and (counts.get(NEW) or counts.get(UPDATE)),
        "list_url": reverse(LIST_URLS[what]),
        "status_labels": STATUS_LABELS,
    }
    return section(request, "catalog/import_rows.html", what, context)


@require_POST
@require(policies.can_edit_catalog)
def import_commit(request, pk):
    preview = _import_job(request, pk)
    if preview.kind != PREVIEW or preview.status != Job.Status.SUCCEEDED:
        raise NotFound()
    # refused: a submission key copied from somebody else's page
    started = run_action(request, lambda: commit_start(actor=request.user, preview=preview))
    if not started:
        return redirect("catalog:import_rows", pk=preview.pk)
    return redirect("catalog:import_job", pk=started.result.pk)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export(request, what: str, rows):
    stamp = f"{timezone.localtime():%Y%m%d-%H%M}"
    return audited_download(
        actor=request.user,
        content=write_xlsx(request.user, what, rows),
        filename=f"{what}-{stamp}.xlsx",
        object_type=f"catalog.{what[:-1]}",
        object_repr=f"{TITLES[what]}库导出",
        changes={"filter": [None, request.GET.urlencode()]},
    )


@require(policies.can_view_catalog)
def course_export(request):
    filters = course_filter_form(request.user, request.GET).filters()
    courses = selectors.course_search(request.user, filters).prefetch_related("target_categories")
    return _export(request, "courses", courses)


@require(policies.can_view_catalog)
def lecturer_export(request):
    filters = lecturer_filter_form(request.user, request.GET).filters()
    return _export(request, "lecturers", selectors.lecturer_search(request.user, filters))


@require(policies.can_edit_catalog)
def course_template(request):
    return _xlsx(write_xlsx(request.user, "courses", []), "course-template.xlsx")


@require(policies.can_edit_catalog)
def lecturer_template(request):
    return _xlsx(write_xlsx(request.user, "lecturers", []), "lecturer-template.xlsx")
