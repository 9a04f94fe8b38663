"""A process killed in the middle of a commit (SIGKILL, no clean-up) leaves only whole rows, and
running the import again finishes it.

The import runs in a child process on its own SQLite file (a file another process can open, unlike
the test database) and kills itself inside its third batch's transaction, after that batch's
cadres were inserted but before its audit entry: the worst moment.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from tests.orgs.roster_files import person_id, write_xlsx

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable

SEED = """
from ganxun.orgs.models import CadreCategory
from ganxun.orgs.services import _insert_org
city = _insert_org(parent=None, code="C1", name="甬江市", level="city")
_insert_org(parent=city, code="T1", name="东湖镇", level="township")
CadreCategory.objects.create(code="young", name="年轻干部")
"""

KILL_IN_THIRD_BATCH = """
import os, signal
from django.core.management import call_command
from ganxun.orgs.roster import commit, importer
importer.CHUNK = 3
real_audit, calls = commit.Writer._audit, []
def dying_audit(self, inserted, updated):
    calls.append(1)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    real_audit(self, inserted, updated)
commit.Writer._audit = dying_audit
call_command("import-roster", FILE, "--org", "T1", "--commit", skip_checks=True)
"""

RERUN = """
from io import StringIO
from django.core.management import call_command
out = StringIO()
call_command("import-roster", FILE, "--org", "T1", "--commit", "--json", stdout=out,
             skip_checks=True)
print(out.getvalue().strip())
"""

INSPECT = """
import json
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre
with unscoped():
    cadres = list(Cadre.objects.prefetch_related("categories"))
print(json.dumps({
    "cadres": len(cadres),
    "without_category": sum(1 for c in cadres if not c.categories.all()),
    "audited": sum(len(e.changes["created"][1]) for e in
        AuditEntry.objects.filter(object_type="orgs.cadre", object_id="import-batch")),
}))
"""


def django(code: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, **kwargs
    )


@pytest.fixture
def child_env(tmp_path, django_db_setup, django_db_blocker):
    data = tmp_path / "data"
    data.mkdir()
    env = {**os.environ, "GANXUN_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "ganxun.config.settings.dev"
    if connection.vendor == "sqlite":
        # the test run's migrated (and still empty) database, copied: much faster than migrating
        with django_db_blocker.unblock():
            # an earlier transactional test's flush empties the seeded rank table
            from ganxun.orgs.services import reference_tables_ensure

            reference_tables_ensure()
            connection.ensure_connection()
            target = sqlite3.connect(data / "ganxun.sqlite3")
            connection.connection.backup(target)
            target.close()
    else:
        subprocess.run(
            [PYTHON, "-m", "ganxun.config.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True
        )
    return env


def test_a_commit_killed_mid_batch_leaves_whole_rows_and_a_rerun_finishes(child_env, tmp_path):
    # given a roster of 15 people in batches of 3, each with a category
    rows = [["姓名", "身份证号", "职级", "人员类别"]]
    rows += [[f"干部{i}", person_id(i), "正科", "年轻干部"] for i in range(15)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    # when the importing process is killed inside its third batch
    killed = django(SEED + f"FILE = {str(path)!r}\n" + KILL_IN_THIRD_BATCH, child_env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # then the database holds the two finished batches, every row whole
    state = json.loads(django(INSPECT, child_env).stdout)
    assert state == {"cadres": 6, "without_category": 0, "audited": 6}
    # when the same import is run again
    rerun = django(f"FILE = {str(path)!r}\n" + RERUN + INSPECT, child_env)
    assert rerun.returncode == 0, rerun.stderr
    report, after = rerun.stdout.strip().splitlines()[-2:]
    # then it skips what was written and finishes the rest
    body = json.loads(report)
    assert (body["unchanged"], body["new"], body["errors"]) == (6, 9, [])
    assert json.loads(after) == {"cadres": 15, "without_category": 0, "audited": 15}
