"""The worker heartbeat's recovery rules, in process: a job whose worker died is re-queued once;
after its second worker died with it, it is failed with a message and a retry path; a job whose
task was never written (app process killed after its commit) is enqueued; a live worker's job is
left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from ganxun.accounts.models import Role
from ganxun.core.errors import DomainError
from ganxun.core.jobs import job_handler, job_retry
from ganxun.core.models import Job
from ganxun.ops.models import WorkerHeartbeat
from ganxun.ops.worker import RUN_JOB, beat, recover_lost_jobs
from tests.factories import make_user

pytestmark = pytest.mark.django_db

KIND = "ops_test_echo"


@job_handler(KIND)
def _echo(job, progress):
    job.message = "完成"
    return {"echo": job.params.get("n")}


@pytest.fixture
def user(city):
    return make_user(city.city, Role.ADMIN, username="ops_user")


def running_job(user, *, worker: str, deliveries: int = 1) -> Job:
    """A job claimed by ``worker`` (its last delivery RUNNING, the earlier ones lost with their
    workers)."""
    job = Job.objects.create(
        actor=user, kind=KIND, title="回声", params={"n": 7}, status=Job.Status.RUNNING
    )
    for i in range(deliveries):
        last = i == deliveries - 1
        DBTaskResult.objects.create(
            task_path=RUN_JOB,
            args_kwargs={"args": [str(job.pk)], "kwargs": {}},
            backend_name="default",
            run_after=get_date_max(),
            status=TaskResultStatus.RUNNING if last else TaskResultStatus.FAILED,
            exception_class_path="" if last else "ganxun.ops.worker.WorkerLost",
            worker_ids=[worker],
        )
    return job


def dead_worker(name: str) -> str:
    beat(name, timezone.now())
    WorkerHeartbeat.objects.filter(pk=name).update(seen_at=timezone.now() - timedelta(minutes=5))
    return name


def test_a_dead_workers_job_is_requeued_and_completes(user):
    # given a job claimed by a worker whose heartbeat stopped five minutes ago
    job = running_job(user, worker=dead_worker("w-dead"))
    # when a live worker's heartbeat looks for lost jobs (tests run tasks immediately)
    outcomes = recover_lost_jobs()
    # then the job was re-queued and ran to the end on its second delivery
    assert outcomes == [(str(job.pk), "requeued")]
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"echo": 7}
    lost = DBTaskResult.objects.filter(worker_ids=["w-dead"]).get()
    assert lost.status == TaskResultStatus.FAILED and "WorkerLost" in lost.exception_class_path


def test_a_live_workers_job_is_left_alone(user):
    beat("w-live", timezone.now())
    job = running_job(user, worker="w-live")
    assert recover_lost_jobs() == []
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_after_two_deaths_the_job_is_not_redelivered_and_can_be_retried(
    user, django_capture_on_commit_callbacks
):
    # given a job whose second delivery's worker died as well (a file that kills the worker)
    job = running_job(user, worker=dead_worker("w-dead2"), deliveries=2)
    # when lost jobs are recovered
    assert recover_lost_jobs() == [(str(job.pk), "failed")]
    # then the job failed and says so in words the user understands
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert "中断了 2 次" in job.message and "重新发起" in job.message
    # when its owner retries it
    with django_capture_on_commit_callbacks(execute=True):
        again = job_retry(actor=user, job=job)
    # then a new job with the same parameters ran to the end
    again.refresh_from_db()
    assert again.pk != job.pk and again.status == Job.Status.SUCCEEDED
    assert again.params == {"n": 7, "retry_of": str(job.pk)}


def test_only_the_owner_may_retry_and_only_a_failed_job(user, city):
    job = Job.objects.create(actor=user, kind=KIND, title="回声", status=Job.Status.SUCCEEDED)
    with pytest.raises(DomainError):
        job_retry(actor=user, job=job)
    job.status = Job.Status.FAILED
    other = make_user(city.city, Role.ADMIN, username="someone_else")
    with pytest.raises(DomainError):
        job_retry(actor=other, job=job)


def test_a_job_whose_task_was_never_written_is_enqueued(user):
    # given a queued job, a minute old, with no task (the app process died before enqueueing)
    job = Job.objects.create(actor=user, kind=KIND, title="回声", params={"n": 1})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    # when lost jobs are recovered
    assert recover_lost_jobs() == [(str(job.pk), "enqueued")]
    # then it ran
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_the_job_page_offers_retry_for_a_failed_job(
    client, user, city, django_capture_on_commit_callbacks
):
    # given a failed job of the user's
    job = Job.objects.create(
        actor=user, kind=KIND, title="回声", params={"n": 3}, status=Job.Status.FAILED
    )
    client.force_login(user)
    assert 'data-testid="job-retry"' in client.get(f"/jobs/{job.pk}/").content.decode()
    # when they press retry
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/jobs/{job.pk}/retry/")
    # then they see the new job, which ran
    again = Job.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{again.pk}/"
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED
    # and somebody else cannot retry it
    client.force_login(make_user(city.city, Role.ADMIN, username="intruder"))
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404


def test_sigterm_asks_the_running_job_to_stop_at_its_next_batch():
    import signal

    from ganxun.core.jobs import STOP_REQUESTED
    from ganxun.ops.management.commands.worker import StoppingWorker

    # given `ganxun worker` in the middle of a task
    worker = StoppingWorker(
        queue_names=["default"],
        interval=1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-term",
        excluded_queue_names=[],
    )
    worker.running_task = True
    try:
        # when systemd sends SIGTERM
        worker.shutdown(signal.SIGTERM, None)
        # then the worker takes no further task and the job's next checkpoint stops it
        assert not worker.running and STOP_REQUESTED.is_set()
    finally:
        STOP_REQUESTED.clear()
