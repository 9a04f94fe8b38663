"""A background job's page: progress (polled), the result file, retry after a failure."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ganxun.core.errors import NotFound
from ganxun.core.http import run_action
from ganxun.core.jobs import job_for, job_retry


@login_required
def job_detail(request, pk):
    job = job_for(request.user, pk)
    if job is None:
        raise NotFound()
    template = "core/_job_progress.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


@require_POST
@login_required
def job_retry_view(request, pk):
    """Start a failed job again (same kind and parameters) and show the new one's progress."""
    job = job_for(request.user, pk)
    if job is None:
        raise NotFound()
    again = run_action(request, lambda: job_retry(actor=request.user, job=job), once=False)
    return redirect("core:job", pk=(again.result if again else job).pk)


@login_required
def job_download(request, pk):
    job = job_for(request.user, pk)
    if job is None or not job.result_file:
        raise NotFound()
    return FileResponse(
        open(job.result_file, "rb"), as_attachment=True, filename=job.result_file.rsplit("/", 1)[-1]
    )
