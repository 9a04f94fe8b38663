"""The steps every spreadsheet import shares on the web (the roster, the catalogue, credits):
the upload that starts the job, the job of a kind, its progress page, the commit of a preview.
Each app keeps its own upload form and rows page; these are the parts that were written three
times."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound
from ganxun.core.http import handle_form, require, run_action
from ganxun.core.jobs import job_for
from ganxun.core.models import Job


def upload_start(request, form, start, *, store, job_url: str, field=lambda exc: "file"):
    """The upload step: a valid POST of ``form`` stores its ``file`` (``store(upload)`` → path)
    and starts the job — ``start(path=…, filename=…)`` — both inside the keyed call, so a
    repeated post stores nothing and starts nothing; then on to ``job_url``. A refusal lands on
    the field ``field(exc)`` names. None while the form is to be shown (again)."""

    def save():
        upload = form.cleaned_data["file"]
        return start(path=store(upload), filename=Path(upload.name).name)

    def on_error(form, exc) -> bool:
        form.add_error(field(exc), exc.message)
        return True

    job = handle_form(request, form, save, on_error=on_error)
    return redirect(job_url, pk=job.pk) if job else None


def import_job_for(request, pk, kinds):
    """The actor's own job of one of ``kinds``, or 404."""
    job = job_for(request.user, pk)
    if job is None or job.kind not in kinds:
        raise NotFound()
    return job


def job_progress(request, job, *, rows_url: str, template: str, partial: str, **context):
    """The progress page, polled by htmx; once the job has succeeded, on to its rows."""
    if job.status == Job.Status.SUCCEEDED:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse(rows_url, args=[job.pk])
            return response
        return redirect(rows_url, pk=job.pk)
    return render(request, partial if request.htmx else template, {"job": job, **context})


def import_commit(request, preview, *, preview_kind: str, start, rows_url: str, job_url: str):
    """Commit a succeeded preview: ``start(preview)`` starts the commit job, shown next. A
    refusal (a submission key copied from somebody else's page) leads back to the rows."""
    if preview.kind != preview_kind or preview.status != Job.Status.SUCCEEDED:
        raise NotFound()
    started = run_action(request, lambda: start(preview))
    if not started:
        return redirect(rows_url, pk=preview.pk)
    return redirect(job_url, pk=started.result.pk)


def rows_context(request, job, rows, *, statuses, labels, preview_kind: str) -> dict:
    """What every rows page shows of a finished job: the counts by status, the status chosen,
    a page of ``rows`` (50 a page), whether it is a preview. Apps add ``can_commit`` and theirs."""
    counts = job.result.get("counts", {})
    return {
        "job": job,
        "result": job.result,
        "counts": [(s, labels[s], counts.get(s, 0)) for s in statuses],
        "status": request.GET.get("status", ""),
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "is_preview": job.kind == preview_kind,
        "status_labels": labels,
    }


@dataclass
class ImportSteps:
    """One app's import, declared once: whose jobs (``kinds``), the preview's kind, the commit
    service (``commit(actor=, preview=)`` → the commit job), the URL names of the progress and
    rows pages, the progress page's template and htmx partial; its progress and commit views
    come from here, and its rows page fetches the job with ``job``."""

    policy: Callable
    kinds: Any
    preview_kind: str
    commit: Callable
    urls: tuple[str, str]  # (progress, rows)
    templates: tuple[str, str]  # (progress page, its partial)
    progress_extra: Callable | None = None  # job -> more context for the progress page

    def job(self, request, pk) -> Job:
        return import_job_for(request, pk, self.kinds)

    def progress_view(self):
        @require(self.policy)
        def view(request, pk):
            """Progress, polled by htmx; sent on to the rows once the job has succeeded."""
            job = self.job(request, pk)
            extra = self.progress_extra(job) if self.progress_extra else {}
            template, partial = self.templates
            return job_progress(
                request, job, rows_url=self.urls[1], template=template, partial=partial, **extra
            )

        return view

    def commit_view(self):
        @require_POST
        @require(self.policy)
        def view(request, pk):
            return import_commit(
                request,
                self.job(request, pk),
                preview_kind=self.preview_kind,
                start=lambda preview: self.commit(actor=request.user, preview=preview),
                rows_url=self.urls[1],
                job_url=self.urls[0],
            )

        return view
