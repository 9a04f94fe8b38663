"""Killing the task worker mid-solve, mid-import and mid-export loses nothing: the next worker
sees the dead one's heartbeat go stale, re-queues its job, and the job completes once, whole.

Each dying worker is a real process that SIGKILLs itself at the named moment (no clean-up, no
finally blocks), on PostgreSQL with the database task backend, as in production.
"""

import json
import signal
import time

import pytest
from django.db import connection

from tests.ops.children import child_env, worker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real processes on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

SEED = """
import json
from decimal import Decimal
from ganxun.accounts.models import Role
from ganxun.core.jobs import job_start
from ganxun.orgs.models import CadreCategory
from ganxun.orgs.roster.jobs import COMMIT, roster_preview_start
from ganxun.programs import services
from tests.factories import CadreFactory, make_org, make_user
from tests.orgs.roster_files import person_id, write_xlsx
from tests.programs.factories import enroll, make_program

city = make_org(None, name="甬江市", level="city", code="330200")
town = make_org(city, name="东湖镇", level="township", code="330200001")
admin = make_user(city, Role.ADMIN, username="boss")
CadreCategory.objects.create(code="young", name="年轻干部")
people = []
for t in range(3):
    unit = make_org(city, name=f"镇{t}", level="township")
    people += [CadreFactory(unit=unit, leader_role=r) for r in ["secretary", "head", "", "", ""]]
program = make_program(city, organizer=admin, name="错时参训班")
enroll(program, people)

# 1. the batch solve
solve = services.batch_solve_start(actor=admin, program=program, batches=2,
                                   min_on_duty=Decimal("0.4"))
# 2. a roster import of 15 people (committed in batches of 3 below)
rows = [["姓名", "身份证号", "职级", "人员类别"]]
rows += [[f"新干部{i}", person_id(i), "正科", "年轻干部"] for i in range(15)]
good = write_xlsx(DATA / "good.xlsx", rows)
params = {"file": str(good), "filename": "good.xlsx", "root": town.pk, "create_units_under": None}
commit = job_start(actor=admin, kind=COMMIT, title="导入名册", params=params)
# 3. a preview whose error report (the export) has 4 rows
bad = rows[:1] + [[f"错干部{i}", "12345", "正科", ""] for i in range(4)]
preview = roster_preview_start(actor=admin, path=write_xlsx(DATA / "bad.xlsx", bad),
                               filename="bad.xlsx", root=town)
ids = {"solve": solve.pk, "commit": commit.pk, "preview": preview.pk}
print(json.dumps({name: str(pk) for name, pk in ids.items()}), flush=True)
"""

# Whichever of the three jobs a dying worker picks up, it is killed in the middle of it.
DIE_MID_JOB = """
import os, signal
from ganxun.orgs.roster import commit, importer, report
from ganxun.programs import batching

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def dying_solve(*args, **kwargs):            # mid-solve: the model built, the solver started
    die()
batching.solve = dying_solve

importer.CHUNK = 3
real_audit, batches = commit.Writer._audit, []
def dying_audit(self, inserted, updated):    # mid-import: inside the third batch's transaction
    batches.append(1)
    if len(batches) == 3:
        die()
    real_audit(self, inserted, updated)
commit.Writer._audit = dying_audit

real_close = report.PreviewStore.close
def dying_close(self):                       # mid-export: rows written, the workbook not closed
    if self._book is not None:
        die()
    real_close(self)
report.PreviewStore.close = dying_close
"""

INSPECT = """
import json
import openpyxl
from django_tasks_db.models import DBTaskResult
from ganxun.core.models import AuditEntry, Job
from ganxun.core.scoping import unscoped
from ganxun.ops.worker import attempts_of
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program, ProgramTrainee

jobs = {str(j.pk): j for j in Job.objects.all()}
out = {pk: {"status": j.status, "message": j.message, "attempts": attempts_of(j),
            "file": j.result_file} for pk, j in jobs.items()}
with unscoped():
    out["imported"] = Cadre.objects.filter(name__startswith="新干部").count()
out["import_audited"] = sum(len(e.changes["created"][1]) for e in
    AuditEntry.objects.filter(object_type="orgs.cadre", object_id="import-batch"))
out["unbatched"] = ProgramTrainee._base_manager.filter(batch__isnull=True).count()
out["trainees"] = ProgramTrainee._base_manager.count()
out["proposed"] = sum(len((j.result or {}).get("proposal", {})) for j in jobs.values()
    if j.kind == "program_batches")
out["solve_audits"] = AuditEntry.objects.filter(object_type="programs.program",
    changes__has_key="batches_solved").count()
out["running_tasks"] = DBTaskResult.objects.running().count()
preview = next(j for j in jobs.values() if j.kind == "roster_preview")
if preview.result_file:
    out["report_rows"] = openpyxl.load_workbook(preview.result_file).active.max_row - 1
print(json.dumps(out, ensure_ascii=False))
"""


def test_workers_killed_mid_solve_import_and_export_lose_nothing(tmp_path):
    env = child_env(tmp_path)
    # given three queued jobs: a batch solve, a roster import, a preview writing an error report
    seed = f"from pathlib import Path\nDATA = Path({str(tmp_path)!r})\n" + SEED
    # when three workers in turn are killed in the middle of the job they picked up
    for turn in range(3):
        killed = worker(env, prelude=(seed if turn == 0 else "") + DIE_MID_JOB)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        if turn == 0:
            ids = json.loads(killed.stdout.strip().splitlines()[-1])
        time.sleep(1.3)  # the dead worker's heartbeat goes stale (1 s in these tests)
    # and then a healthy worker starts
    healthy = worker(env, after=INSPECT)
    assert healthy.returncode == 0, healthy.stderr
    # then every job completed, on its second delivery
    state = json.loads(healthy.stdout.strip().splitlines()[-1])
    for name in ("solve", "commit", "preview"):
        job = state[ids[name]]
        assert job["status"] == "succeeded", (name, job)
        assert job["attempts"] == 2, (name, job)
    assert state["running_tasks"] == 0
    # and the solve proposed a split for every trainee once, writing nothing before the
    # organizer confirms it (programs.services.batches.batch_apply)
    assert state["proposed"] == state["trainees"] == state["unbatched"] > 0
    assert state["solve_audits"] == 0
    # and the import holds each of the 15 people exactly once, each audited once
    assert state["imported"] == 15 and state["import_audited"] == 15
    # and the exported error report is a whole workbook with the 4 bad rows
    assert state["report_rows"] == 4
