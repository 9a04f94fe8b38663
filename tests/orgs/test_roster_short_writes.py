"""On SQLite a roster import writes in short transactions and leaves the write lock free between
two (issue 15 item 1): a page saving its session or a login waits for one short batch, never for
the whole import. Timed figures: bench/bench_roster_import.py, docs/benchmarks.md."""

import math
from datetime import date, timedelta

import pytest
from django.db import connection

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster import commit, importer
from ganxun.orgs.roster.importer import ImportOptions, run_import
from ganxun.orgs.roster.plan import NEW
from tests.orgs.roster_files import person_id, write_xlsx

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer"),
]
ROWS = 2500


class Recorder:
    """A job's progress as the importer sees it: what happened, in order."""

    def __init__(self):
        self.events: list[tuple[str, int]] = []
        self.moved_after_rows = None

    def start(self, total, message=""):
        pass

    def advance(self, done, message=""):
        if self.moved_after_rows is None:
            self.moved_after_rows = sum(n for what, n in self.events if what == "write")

    def checkpoint(self):
        self.events.append(("pause", 0))


def test_a_large_import_writes_in_short_batches_with_the_lock_free_between(
    city, tmp_path, monkeypatch
):
    rows = [["姓名", "身份证号", "单位", "职级"]]
    rows += [
        [
            f"干部{i}",
            person_id(i, born=date(1970, 1, 1) + timedelta(days=i // 450)),
            "东湖镇",
            "正科",
        ]
        for i in range(ROWS)
    ]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    progress = Recorder()
    real_write = commit.Writer.write

    def recorded_write(self, plans):
        progress.events.append(("write", sum(1 for p in plans if p.status == NEW)))
        real_write(self, plans)

    monkeypatch.setattr(commit.Writer, "write", recorded_write)
    options = ImportOptions(root=city.town_a1, commit=True, filename="big.xlsx")
    summary = run_import(path, options, progress=progress)
    assert summary.counts[NEW] == ROWS
    with unscoped():
        assert Cadre.objects.count() == ROWS
    writes = [n for what, n in progress.events if what == "write"]
    # then no transaction holds more than the cap, the first is small (the bar moves at once)
    assert sum(writes) == ROWS
    assert max(writes) <= importer.SQLITE_MAX_WRITE
    assert writes[0] == importer.SQLITE_FIRST_WRITE
    assert progress.moved_after_rows == importer.SQLITE_FIRST_WRITE
    assert len(writes) >= math.ceil(ROWS / importer.SQLITE_MAX_WRITE)
    # and between two transactions the job pauses (the lock is free; a stop is honoured there)
    kinds = [what for what, _n in progress.events]
    assert kinds == ["write"] + ["pause", "write"] * (len(writes) - 1)
