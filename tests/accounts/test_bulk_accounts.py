"""Bulk trainee accounts: short batches, initial passwords hashed lazily, no password lost when the
job is stopped or fails half-way, and a credentials workbook in which no password is a formula."""

import io

import openpyxl
import pytest

from ganxun.accounts import jobs as account_jobs
from ganxun.accounts.models import Role, User
from ganxun.accounts.passwords import is_initial_password
from ganxun.core import jobs as core_jobs
from ganxun.core.jobs import job_retry, run_job
from ganxun.core.models import AuditEntry, Job
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def credentials(client, job) -> dict[str, tuple[str, str, bool]]:
    """username → (password, note, stored as quoted text) from the job's download."""
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["学员账号"]
    rows = {}
    for name, _unit, username, password, note in sheet.iter_rows(min_row=2, values_only=True):
        rows[username] = (password or "", note, name)
    quoted = {
        sheet.cell(r, 3).value: sheet.cell(r, 4).quotePrefix for r in range(2, sheet.max_row + 1)
    }
    return {u: (p, n, quoted[u]) for u, (p, n, _) in rows.items()}


def sign_in(client, username, password):
    client.logout()
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_accounts_are_opened_fast_and_sign_in_with_the_handed_out_password(
    client, city, town_contact, django_capture_on_commit_callbacks, monkeypatch
):
    # given 30 active cadres of the township and batches of 7
    monkeypatch.setattr(account_jobs, "BATCH", 7)
    monkeypatch.setattr(account_jobs, "FIRST_BATCH", 3)
    people = [CadreFactory(unit=city.town_a1) for _ in range(30)]
    client.force_login(town_contact)
    # when the contact opens their accounts
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/trainee-accounts/")
    job = Job.objects.get()
    job.refresh_from_db()
    # then every account exists with a fast initial hash (no Argon2 per account) …
    assert job.status == "succeeded" and job.result == {"created": 30}, job.message
    users = User.objects.filter(cadre__in=people)
    assert users.count() == 30
    assert all(is_initial_password(u.password) for u in users)
    assert all(u.must_change_password and u.roles == {Role.TRAINEE} for u in users)
    # … each audited
    assert AuditEntry.objects.filter(object_type="accounts.user", action="create").count() == 30
    # and the workbook's password signs the trainee in, after which it is re-hashed properly
    issued = credentials(client, job)
    assert len(issued) == 30
    username = f"xy{people[0].pk}"
    password = issued[username][0]
    assert len(password) == 12
    assert sign_in(client, username, "Wrong#Pass123").status_code == 200
    assert sign_in(client, username, password).status_code == 302
    user = User.objects.get(username=username)
    assert not is_initial_password(user.password) and user.check_password(password)
    # and passwords that start like a formula are stored as quoted text
    assert all(quoted for p, _, quoted in issued.values() if p[0] in "=+-@")
    assert not any(quoted for p, _, quoted in issued.values() if p[0] not in "=+-@")


def test_progress_moves_from_the_first_batch(city, town_contact, monkeypatch):
    # given a job whose batches are observed as they are committed
    monkeypatch.setattr(account_jobs, "BATCH", 5)
    monkeypatch.setattr(account_jobs, "FIRST_BATCH", 2)
    for _ in range(12):
        CadreFactory(unit=city.town_a1)
    seen = []
    real = account_jobs.trainee_accounts_create

    def watching(**kwargs):
        seen.append(Job.objects.values_list("done", "total").get())
        return real(**kwargs)

    monkeypatch.setattr(account_jobs, "trainee_accounts_create", watching)
    job = Job.objects.create(actor=town_contact, kind=account_jobs.KIND, title="x", params={})
    run_job.call(str(job.pk))
    # then the total is known before the first batch and the bar moved after it
    assert seen[0] == (0, 12)
    assert seen[1][0] == 2
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)


def test_a_stopped_job_resumes_and_its_workbook_holds_every_password(
    client, city, town_contact, monkeypatch
):
    # given 20 cadres, batches of 4, and a worker asked to stop during the second batch
    monkeypatch.setattr(account_jobs, "BATCH", 4)
    monkeypatch.setattr(account_jobs, "FIRST_BATCH", 4)
    for _ in range(20):
        CadreFactory(unit=city.town_a1)
    real = account_jobs.trainee_accounts_create
    calls = []

    def stop_after_second(**kwargs):
        users = real(**kwargs)
        calls.append(len(users))
        if len(calls) == 2:
            core_jobs.STOP_REQUESTED.set()  # SIGTERM arrives
        return users

    monkeypatch.setattr(account_jobs, "trainee_accounts_create", stop_after_second)
    job = Job.objects.create(actor=town_contact, kind=account_jobs.KIND, title="x", params={})
    try:
        run_job.call(str(job.pk))
        # then the job stopped at the batch boundary and is queued again
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED and "暂停" in job.message
        assert User.objects.filter(cadre__isnull=False).count() == 8
    finally:
        core_jobs.STOP_REQUESTED.clear()
    # when the next worker runs it
    run_job.call(str(job.pk))
    job.refresh_from_db()
    # then it finished the rest, and the workbook has a working password for all 20
    assert job.status == Job.Status.SUCCEEDED and job.result == {"created": 20}
    client.force_login(town_contact)
    issued = credentials(client, job)
    assert len(issued) == 20 and all(p for p, _, _ in issued.values())
    for user in User.objects.filter(cadre__isnull=False):
        assert user.check_password(issued[user.username][0])


def test_a_failed_job_retried_hands_out_the_passwords_of_its_first_run(
    client, city, town_contact, monkeypatch, django_capture_on_commit_callbacks
):
    # given a job that dies in its third batch (after two committed batches)
    monkeypatch.setattr(account_jobs, "BATCH", 3)
    monkeypatch.setattr(account_jobs, "FIRST_BATCH", 3)
    for _ in range(10):
        CadreFactory(unit=city.town_a1)
    real = account_jobs.trainee_accounts_create
    calls = []

    def dies_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise MemoryError
        return real(**kwargs)

    monkeypatch.setattr(account_jobs, "trainee_accounts_create", dies_third)
    job = Job.objects.create(actor=town_contact, kind=account_jobs.KIND, title="x", params={})
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert User.objects.filter(cadre__isnull=False).count() == 6
    # when the contact retries it
    monkeypatch.setattr(account_jobs, "trainee_accounts_create", real)
    with django_capture_on_commit_callbacks(execute=True):
        again = job_retry(actor=town_contact, job=job)
    again.refresh_from_db()
    # then the new run's workbook holds all 10, the first run's 6 included, each password valid
    assert again.status == Job.Status.SUCCEEDED and again.result == {"created": 10}
    client.force_login(town_contact)
    issued = credentials(client, again)
    assert len(issued) == 10
    for user in User.objects.filter(cadre__isnull=False):
        assert user.check_password(issued[user.username][0])
