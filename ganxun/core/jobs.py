"""Background jobs with progress.

A job is a row (``core.Job``) plus a registered handler. ``job_start`` writes the row and enqueues
the shared task after commit; the task re-enters the actor's identity, runs the handler and keeps
the row's progress current so the page's progress bar (``core/_job_progress.html``) can poll it.
A handler takes ``(job, progress)`` and returns a result dict; it may set ``job.result_file``.

Handlers write in short transactions (a batch of a few hundred rows each, well under a second):
on SQLite one open write transaction blocks every other writer — a page saving its session, a
login, the worker's heartbeat — so a job that holds one for minutes takes the site down. Between
batches a handler calls ``progress.checkpoint()``: when the worker was asked to stop (SIGTERM),
the job stops there, goes back to the queue and resumes where it stopped.
"""

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ganxun.core.context import RequestInfo, request_info
from ganxun.core.errors import DomainError
from ganxun.core.models import Job
from ganxun.core.scoping import acting_as

if TYPE_CHECKING:  # core imports no app at run time
    from ganxun.accounts.models import User

log = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}
_RESULT_LINKS: dict[str, Callable] = {}


def job_handler(kind: str):
    """Register the function that runs jobs of ``kind``."""

    def register(fn):
        _HANDLERS[kind] = fn
        return fn

    return register


# Set by the worker when it receives SIGTERM/SIGINT (``ganxun worker``): running jobs stop at
# their next checkpoint (a batch boundary) and are queued again.
STOP_REQUESTED = threading.Event()


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


_handing_over = threading.local()
SQLITE_PAUSE = 0.1  # seconds between two batches on SQLite (see Progress.checkpoint)


class JobInterrupted(Exception):
    """Raised by ``Progress.checkpoint`` when the worker is stopping."""


class Progress:
    """Writes progress to the job row — the first step at once, then at most every ``seconds``
    (and at the end), so the bar moves from the first second whatever a step costs, and writes
    stay few."""

    def __init__(self, job: Job, seconds: float = 0.5):
        self.job = job
        self.seconds = seconds
        self._last_saved = float("-inf")
        self._saved_done = job.done

    def start(self, total: int, message: str = "") -> None:
        self.job.total = total
        self._save(message)

    def advance(self, done: int, message: str = "") -> None:
        self.job.done = done
        first_move = self._saved_done == 0 and done > 0
        due = time.monotonic() - self._last_saved >= self.seconds
        if first_move or due or done >= self.job.total:
            self._save(message)

    def checkpoint(self) -> None:
        """Call between batches, outside any transaction: stops the job if the worker stops.
        On SQLite it also leaves the write lock free for a moment: a waiting writer (a page
        saving its session, a login) polls for it every 100 ms at most, and a job that begins
        its next batch at once could take it again first, batch after batch."""
        if STOP_REQUESTED.is_set():
            raise JobInterrupted
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            time.sleep(SQLITE_PAUSE)

    def _save(self, message: str) -> None:
        if message:
            self.job.message = message[:500]
        try:
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message
            )
        except DatabaseError:
            # another writer held SQLite's lock past the busy timeout: the bar is a hint, the
            # job goes on and the next save catches up (inside a transaction, let it fail)
            if connection.in_atomic_block:
                raise
            log.warning("progress of job %s not saved; retrying later", self.job.pk)
            return
        self._last_saved = time.monotonic()
        self._saved_done = self.job.done


def job_start(*, actor: "User", kind: str, title: str, params: dict | None = None) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = Job.objects.create(actor=actor, kind=kind, title=title, params=params or {})
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_retry(*, actor: "User", job: Job) -> Job:
    """Start a failed job again with the same parameters, as a new job of the same user (the
    handlers are safe to re-run: imports skip what was written, results are applied atomically).
    """
    if job.status != Job.Status.FAILED or job.actor_id != actor.pk:
        raise DomainError("job_not_retryable", _("只有自己发起的、已失败的任务可以重试。"))
    # ``retry_of`` lets a handler pick up what the failed run left (the bulk-account job takes
    # over the initial passwords of the accounts it had opened)
    params = {**job.params, "retry_of": str(job.pk)}
    return job_start(actor=actor, kind=job.kind, title=job.title, params=params)


def job_for(actor: "User", job_id) -> Job | None:
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
    if STOP_REQUESTED.is_set():
        # the worker is stopping (the signal came between claiming the task and here): hand the
        # job to the next worker — unless this is that hand-over running in process already
        if not getattr(_handing_over, "active", False):
            _requeue_interrupted(job)
        return
    started = job.started_at or timezone.now()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=started)
    try:
        with request_info(RequestInfo(channel="job")), acting_as(job.actor):
            result = _HANDLERS[job.kind](job, Progress(job))
    except JobInterrupted:
        _requeue_interrupted(job)
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, message=exc.message)
    except Exception as exc:  # a job must always end in a state the user can see
        log.exception("job %s failed", job.pk)
        _finish(
            job, Job.Status.FAILED, message=_("任务出错：%(name)s") % {"name": type(exc).__name__}
        )
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result or {})


def _requeue_interrupted(job: Job) -> None:
    """The worker is stopping: the job goes back to the queue with a new task (the database
    backend writes it now; the next worker to start picks it up and the handler resumes)."""
    message = f"后台进程正在重启，任务已在第 {job.done} 条处暂停，重启后自动继续。"
    _handing_over.active = True  # an in-process backend runs the new task inside enqueue
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.QUEUED, done=job.done, message=message
            )
            run_job.enqueue(str(job.pk))
    finally:
        _handing_over.active = False
    log.warning("job %s paused at %s/%s: the worker is stopping", job.pk, job.done, job.total)


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
