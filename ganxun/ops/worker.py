"""The task worker's heartbeat, and picking up the jobs of a worker that died.

django_tasks_db marks a task RUNNING when a worker claims it and leaves it so if the worker is
killed (SIGKILL, OOM, power): the job would stay "进行中" forever. Each worker started with
``ganxun worker`` keeps a heartbeat row fresh from a thread; every beat it also looks for
tasks claimed by workers whose heartbeat went stale, and

- re-queues the job (a new task for the same ``core.Job``) unless its worker died with it
  ``MAX_CRASHES`` times (twice: a job that kills its worker — a hostile workbook, a memory
  bomb — is not handed to a third one) —
  the handlers are safe to run again: imports skip what was written, the solver's result is
  applied in one transaction, exports rewrite their file;
- after that marks the job failed with a message that says so; the user starts it again
  (``core.jobs.job_retry``).

It also re-enqueues jobs whose task was never written (an app process killed between the commit
of the job row and the enqueue). A row lock on the job keeps two workers from doing either twice.
And once an hour it drops form submission keys past their window (core/idempotency.py).
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.idempotency import purge_submission_keys
from ganxun.core.jobs import run_job
from ganxun.core.models import Job
from ganxun.ops.models import WorkerHeartbeat

log = logging.getLogger(__name__)

RUN_JOB = "ganxun.core.jobs.run_job"
WORKER_LOST = "ganxun.ops.worker.WorkerLost"
MAX_CRASHES = 2
HOUSEKEEPING_EVERY = timedelta(hours=1)


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "GANXUN_WORKER_STALE_SECONDS", 30))


def fresh_heartbeats():
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - stale_after())


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


class HeartbeatThread(threading.Thread):
    """Beats every sixth of the stale interval and recovers lost jobs; never raises."""

    def __init__(self, worker_id: str):
        super().__init__(name="ganxun-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.interval = max(0.5, stale_after().total_seconds() / 6)
        self.housekept_at = None

    def run(self) -> None:
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(self.interval)
        close_old_connections()

    def tick(self) -> None:
        try:
            connection.close_if_unusable_or_obsolete()
            beat(self.worker_id, self.started_at)
            recover_lost_jobs()
            self.housekeep()
        except Exception:  # the database restarting, a locked SQLite file: try again next beat
            log.warning("worker heartbeat failed; retrying", exc_info=True)
            connection.close()

    def housekeep(self) -> None:
        """Hourly upkeep (the first beat included): old submission keys go."""
        now = timezone.now()
        if self.housekept_at is not None and now - self.housekept_at < HOUSEKEEPING_EVERY:
            return
        self.housekept_at = now
        purge_submission_keys()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            log.warning("could not remove the heartbeat of %s", self.worker_id, exc_info=True)


def recover_lost_jobs() -> list[tuple[str, str]]:
    """Re-queue or fail the jobs of dead workers; returns (job id, "requeued"|"failed")."""
    outcomes = [_recover_task(task) for task in _lost_tasks()]
    outcomes += [_enqueue_orphan(job_id) for job_id in _orphan_job_ids()]
    return [o for o in outcomes if o]


def _lost_tasks():
    from django_tasks_db.models import DBTaskResult

    live = set(fresh_heartbeats().values_list("worker_id", flat=True))
    running = DBTaskResult.objects.running().filter(task_path=RUN_JOB)
    return [t for t in running if not t.worker_ids or t.worker_ids[-1] not in live]


def _recover_task(task) -> tuple[str, str] | None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    job_id = task.args_kwargs["args"][0]
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        gone = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=WORKER_LOST,
            traceback="the worker running this task stopped sending heartbeats",
        )
        if not gone or job is None or job.finished:
            return None
        return _requeue_or_fail(job)


def _requeue_or_fail(job: Job) -> tuple[str, str]:
    crashes = crashes_of(job)  # this one included: it was marked WorkerLost just now
    if crashes < MAX_CRASHES:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED,
            message=_("处理任务的后台进程中断，已自动重新排队（第 %(n)s 次尝试）。")
            % {"n": crashes + 1},
        )
        run_job.enqueue(str(job.pk))  # the database backend writes it in this transaction
        log.warning("job %s re-queued after its worker died (crash %d)", job.pk, crashes)
        return str(job.pk), "requeued"
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        message=_(
            "处理任务的后台进程中断了 %(n)s 次，任务没有完成，不再自动重试；"
            "已写入的数据完整保留。请检查上传的文件后重新发起。"
        )
        % {"n": crashes},
    )
    log.error("job %s failed: its worker died %d times", job.pk, crashes)
    return str(job.pk), "failed"


def crashes_of(job: Job) -> int:
    """Deliveries of the job whose worker died running it (a paused job's are not counted)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=RUN_JOB, args_kwargs__args__0=str(job.pk), exception_class_path=WORKER_LOST
    ).count()


def attempts_of(job: Job) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=RUN_JOB, args_kwargs__args__0=str(job.pk)).count()


def _orphan_job_ids() -> list:
    """Queued jobs older than the stale interval that no task will ever run."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    old = Job.objects.filter(
        status=Job.Status.QUEUED, created_at__lt=timezone.now() - stale_after()
    ).values_list("pk", flat=True)[:100]
    waiting = set(
        DBTaskResult.objects.filter(task_path=RUN_JOB)
        .filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("args_kwargs__args__0", flat=True)
    )
    return [pk for pk in old if str(pk) not in waiting]


def _enqueue_orphan(job_id) -> tuple[str, str] | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=Job.Status.QUEUED).first()
        if job is None or attempts_of(job):
            return None
        run_job.enqueue(str(job.pk))
    log.warning("job %s had no task (app process died before enqueueing); enqueued", job_id)
    return str(job_id), "enqueued"
