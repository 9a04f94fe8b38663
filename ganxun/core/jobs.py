"""Background jobs with progress.

A job is a row (``core.Job``) plus a registered handler. ``job_start`` writes the row and enqueues
the shared task after commit; the task re-enters the actor's identity, runs the handler and keeps
the row's progress current so the page's progress bar (``core/_job_progress.html``) can poll it.
A handler takes ``(job, progress)`` and returns a result dict; it may set ``job.result_file``.
"""

import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ganxun.core.context import RequestInfo, request_info
from ganxun.core.errors import DomainError
from ganxun.core.models import Job

log = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}
_RESULT_LINKS: dict[str, Callable] = {}


def job_handler(kind: str):
    """Register the function that runs jobs of ``kind``."""

    def register(fn):
        _HANDLERS[kind] = fn
        return fn

    return register


def job_result_link(kind: str):
    """Register where a finished job of ``kind`` leads: a function ``(job) -> (url, label)`` or
    ``None``. The progress bar shows it as the next step once the job has succeeded."""

    def register(fn):
        _RESULT_LINKS[kind] = fn
        return fn

    return register


def result_link(job: Job) -> tuple[str, str] | None:
    """The page a succeeded job's result lives on, with its button label, if its kind has one."""
    fn = _RESULT_LINKS.get(job.kind)
    if fn is None or job.status != Job.Status.SUCCEEDED:
        return None
    try:
        return fn(job)
    except Exception:  # a link is a courtesy: a vanished object must not break the page
        log.exception("result link of job %s", job.pk)
        return None


class Progress:
    """Writes progress to the job row, at most every ``every`` steps to keep writes cheap."""

    def __init__(self, job: Job, every: int = 500):
        self.job = job
        self.every = every
        self._last_saved = 0

    def start(self, total: int, message: str = "") -> None:
        self.job.total = total
        self._save(message)

    def advance(self, done: int, message: str = "") -> None:
        self.job.done = done
        if done - self._last_saved >= self.every or done >= self.job.total:
            self._save(message)

    def _save(self, message: str) -> None:
        self._last_saved = self.job.done
        if message:
            self.job.message = message[:500]
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, message=self.job.message
        )


def job_start(*, actor, kind: str, title: str, params: dict | None = None) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = Job.objects.create(actor=actor, kind=kind, title=title, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_retry(*, actor, job: Job) -> Job:
    """Start a failed job again with the same parameters, as a new job of the same user (the
    handlers are safe to re-run: imports skip what was written, results are applied atomically).
    """
    if job.status != Job.Status.FAILED or job.actor_id != actor.pk:
        raise DomainError("job_not_retryable", "只有自己发起的、已失败的任务可以重试。")
    return job_start(actor=actor, kind=job.kind, title=job.title, params=job.params)


def job_for(actor, job_id) -> Job | None:
    """Users see their own jobs only."""
    return Job.objects.filter(pk=job_id, actor=actor).first()


def job_result_path(job: Job, filename: str) -> Path:
    folder = Path(settings.DATA_DIR) / "jobs" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename


@task()
def run_job(job_id: str) -> None:
    job = Job.objects.select_related("actor").get(pk=job_id)
    if job.finished:
        return  # a retried delivery of a job that already ran
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        with request_info(RequestInfo(channel="job")):
            result = _HANDLERS[job.kind](job, Progress(job))
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, message=exc.message)
    except Exception as exc:  # a job must always end in a state the user can see
        log.exception("job %s failed", job.pk)
        _finish(job, Job.Status.FAILED, message=f"任务出错：{type(exc).__name__}")
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})


def _finish(job: Job, status: str, *, message: str = "", result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        done=job.done,
        finished_at=timezone.now(),
        message=message or job.message,
        result=result or {},
        result_file=job.result_file,
        errors=job.errors,
    )
