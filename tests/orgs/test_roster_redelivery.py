"""A roster commit job whose worker dies mid-way and is delivered again reports what a run never
interrupted reports (issue 25 item 13): the rows the first delivery wrote count as created or
updated, not "unchanged", the unit it created is listed — and nothing is written twice.

The worker's death is a BaseException raised inside the third write transaction (it rolls back
that transaction and escapes ``run_job`` as a SIGKILL would: the job stays "running"); the
redelivery is ``run_job`` called again with the same job, as ``ops.worker`` re-queues it."""

import pytest
from django.db import transaction

from ganxun.accounts.models import Role
from ganxun.core.jobs import job_start, run_job
from ganxun.core.models import AuditEntry, Job
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, CadreCategory
from ganxun.orgs.roster import commit, importer
from ganxun.orgs.roster.jobs import COMMIT
from tests.factories import CadreFactory, make_user
from tests.orgs.roster_files import person_id, write_xlsx

pytestmark = pytest.mark.django_db

BATCH = 3


class WorkerKilled(BaseException):
    """Not an Exception: nothing in the job machinery catches it, as nothing survives SIGKILL."""


@pytest.fixture
def small_batches(monkeypatch, settings, tmp_path):
    settings.DATA_DIR = str(tmp_path)
    monkeypatch.setattr(importer, "CHUNK", BATCH)
    for name in ("SQLITE_FIRST_WRITE", "SQLITE_MIN_WRITE", "SQLITE_MAX_WRITE"):
        monkeypatch.setattr(importer, name, BATCH)
    monkeypatch.setattr(importer, "SQLITE_PAUSE", 0)


@pytest.fixture
def roster(city, tmp_path):
    """18 rows: 3 people already registered and changed in the file, 3 unchanged, 10 new (one in
    a unit the import creates), 2 with errors; a category on every new row."""
    CadreCategory.objects.create(code="young", name="年轻干部")
    rows = [["姓名", "身份证号", "单位", "职级", "人员类别"]]
    for i in range(6):
        CadreFactory(
            unit=city.town_a1, name=f"老干部{i}", id_number=person_id(100 + i), rank="section_main"
        )
        # the first three get a new rank (updated), the last three stay as they are
        rank = "副科" if i < 3 else "正科"
        rows.append([f"老干部{i}", person_id(100 + i), "东湖镇", rank, ""])
    for i in range(10):
        unit = "东湖镇新设办公室" if i == 4 else "东湖镇"
        rows.append([f"新干部{i}", person_id(i), unit, "正科", "年轻干部"])
    rows += [["错行一", "12345", "东湖镇", "正科", ""], ["错行二", "", "东湖镇", "正科", ""]]
    return write_xlsx(tmp_path / "roster.xlsx", rows)


def commit_job(admin, city, path) -> Job:
    params = {
        "file": str(path),
        "filename": "roster.xlsx",
        "root": city.town_a1.pk,
        "create_units_under": city.town_a1.pk,
    }
    return job_start(actor=admin, kind=COMMIT, title="导入名册", params=params)


def deliver(job: Job) -> Job:
    run_job.call(str(job.pk))
    job.refresh_from_db()
    return job


def report(job: Job) -> tuple:
    return job.status, job.message, job.result


def state() -> tuple:
    with unscoped():
        cadres = sorted(
            (c.name, c.unit.name, c.rank, sorted(x.name for x in c.categories.all()))
            for c in Cadre.objects.select_related("unit").prefetch_related("categories")
        )
    return cadres, AuditEntry.objects.filter(object_type="orgs.cadre").count()


def test_a_redelivered_commit_reports_what_an_uninterrupted_one_reports(
    small_batches, roster, city, monkeypatch, django_capture_on_commit_callbacks
):
    admin = make_user(city.city, Role.ADMIN, username="boss")
    # given what the same import reports when nothing interrupts it (then undone)
    with transaction.atomic():
        whole = deliver(commit_job(admin, city, roster))
        expected, expected_state = report(whole), state()
        transaction.set_rollback(True)
    assert expected[0] == "succeeded"
    assert expected[2]["counts"] == {"new": 10, "update": 3, "unchanged": 3, "error": 2}
    assert expected[2]["created_units"] == ["东湖镇新设办公室"]
    # when the worker running the import dies inside its third write transaction
    real_audit, calls = commit.Writer._audit, []

    def dying_audit(self, inserted, updated):
        calls.append(1)
        if len(calls) == 3:
            raise WorkerKilled
        real_audit(self, inserted, updated)

    monkeypatch.setattr(commit.Writer, "_audit", dying_audit)
    job = commit_job(admin, city, roster)
    with pytest.raises(WorkerKilled):
        deliver(job)
    job.refresh_from_db()
    assert job.status == "running"
    with unscoped():
        assert 0 < Cadre.objects.filter(name__startswith="新干部").count() < 10
    # and the job is delivered again to a healthy worker
    monkeypatch.setattr(commit.Writer, "_audit", real_audit)
    job = deliver(job)
    # then it reports exactly what the uninterrupted run reported, and the data is the same
    assert report(job) == expected
    assert state() == expected_state
    # and importing the file once more writes nothing
    again = deliver(commit_job(admin, city, roster))
    assert again.result["counts"] == {"new": 0, "update": 0, "unchanged": 16, "error": 2}
    assert again.result["created_units"] == []
    assert state() == expected_state
