"""Background jobs end in a state the user can read, whatever the handler does."""

import pytest

from ganxun.core.errors import DomainError
from ganxun.core.jobs import job_handler, job_start
from ganxun.core.models import Job


@job_handler("test_counts")
def _counting(job, progress):
    progress.start(3, "开始")
    for i in range(1, 4):
        progress.advance(i)
    job.message = "数完了"
    return {"counted": 3}


@job_handler("test_refuses")
def _refusing(job, progress):
    raise DomainError("bad_file", "文件不是表格。")


@job_handler("test_crashes")
def _crashing(job, progress):
    raise ZeroDivisionError


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("test_counts", "succeeded", "数完了"),
        ("test_refuses", "failed", "文件不是表格。"),
        ("test_crashes", "failed", "任务出错：ZeroDivisionError"),
    ],
)
def test_job_finishes_with_status_and_message(
    admin, django_capture_on_commit_callbacks, kind, status, message
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=admin, kind=kind, title="测试")
    job.refresh_from_db()
    assert (job.status, job.message) == (status, message)
    assert job.finished_at is not None


def test_progress_is_visible_to_the_owner_only(
    client, admin, town_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=admin, kind="test_counts", title="测试")
    client.force_login(admin)
    assert "3 / 3" in client.get(f"/jobs/{job.pk}/").content.decode()
    client.force_login(town_contact)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert Job.objects.count() == 1
