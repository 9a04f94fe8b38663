"""Excel import (upload → progress → preview → commit) and export of courses and faculty."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

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
from ganxun.core.exports import audited_download
from ganxun.core.forms import StyledForm
from ganxun.core.http import require
from ganxun.core.import_views import ImportSteps, rows_context, upload_start
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
    started = upload_start(
        request,
        form,
        lambda **stored: import_start(actor=request.user, what=what, **stored),
        store=save_upload,
        job_url="catalog:import_job",
    )
    if started:
        return started
    context = {"form": form, "what": what, "noun": TITLES[what]}
    return section(request, "catalog/import_form.html", what, context)


@require(policies.can_edit_catalog)
def course_import(request):
    return _upload(request, "courses")


@require(policies.can_edit_catalog)
def lecturer_import(request):
    return _upload(request, "lecturers")


IMPORTS = ImportSteps(
    policies.can_edit_catalog,
    kinds=KINDS,
    preview_kind=PREVIEW,
    commit=commit_start,
    urls=("catalog:import_job", "catalog:import_rows"),
    templates=("catalog/import_job.html", "catalog/_import_progress.html"),
    progress_extra=lambda job: {"what": job.params.get("what", "courses")},
)
import_job = IMPORTS.progress_view()
import_commit = IMPORTS.commit_view()


@require(policies.can_edit_catalog)
def import_rows(request, pk):
    job = IMPORTS.job(request, pk)
    if job.status != Job.Status.SUCCEEDED:
        return redirect("catalog:import_job", pk=job.pk)
    counts = job.result.get("counts", {})
    status = request.GET.get("status", "")
    records = job.result.get("records", [])
    if status in STATUSES:
        records = [r for r in records if r["status"] == status]
    else:
        order = {s: i for i, s in enumerate(STATUSES)}
        records = sorted(records, key=lambda r: (order[r["status"]], r["row"]))
    what = job.params["what"]
    context = rows_context(
        request, job, records, statuses=STATUSES, labels=STATUS_LABELS, preview_kind=PREVIEW
    )
    context.update(
        what=what,
        noun=TITLES[what],
        can_commit=job.kind == PREVIEW and (counts.get(NEW) or counts.get(UPDATE)),
        list_url=reverse(LIST_URLS[what]),
    )
    return section(request, "catalog/import_rows.html", what, context)


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
