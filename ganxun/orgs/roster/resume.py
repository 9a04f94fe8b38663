"""What a commit job's earlier deliveries wrote, so a redelivered job reports true counts.

A worker killed in the middle of a commit leaves its finished transactions in the database; the
job is delivered again (``ops.worker``) and re-plans the file against that database, where the
rows the first delivery wrote are now "unchanged". Each write transaction therefore also writes
a ``RosterImportBatch`` row naming the file rows it created and updated (and the units it
created); the next delivery loads them and counts those rows as created or updated again — and
writes nothing for them, since they already match. The final report equals a run that was never
interrupted. Row numbers are kept as runs ([first, last]): a fresh import is one run per batch.
"""

from bisect import bisect_right

from ganxun.core.models import Job
from ganxun.orgs.models import RosterImportBatch
from ganxun.orgs.roster.plan import NEW, UNCHANGED, UPDATE, RowPlan


class Runs:
    """A set of row numbers stored as sorted, disjoint [first, last] runs."""

    def __init__(self, runs=()):
        self.runs: list[list[int]] = []
        for first, last in sorted(runs):  # one pass: sorted runs merge with the last one only
            if self.runs and first <= self.runs[-1][1] + 1:
                self.runs[-1][1] = max(self.runs[-1][1], last)
            else:
                self.runs.append([first, last])

    def add(self, row: int) -> None:
        if self.runs and self.runs[-1][0] <= row:  # file order: nearly always at the end
            last = self.runs[-1]
            if row <= last[1]:
                return
            if row == last[1] + 1:
                last[1] = row
                return
            if row > last[1] + 1:
                self.runs.append([row, row])
                return
        self._add_run(row, row)

    def _add_run(self, first: int, last: int) -> None:
        merged = [r for r in self.runs if r[1] < first - 1 or r[0] > last + 1]
        touching = [r for r in self.runs if not (r[1] < first - 1 or r[0] > last + 1)]
        for r in touching:
            first, last = min(first, r[0]), max(last, r[1])
        merged.append([first, last])
        self.runs = sorted(merged)

    def __contains__(self, row: int) -> bool:
        i = bisect_right(self.runs, [row, float("inf")]) - 1
        return i >= 0 and self.runs[i][0] <= row <= self.runs[i][1]

    def __bool__(self) -> bool:
        return bool(self.runs)


class Ledger:
    """The commit job's record of its write transactions (``job`` None: the CLI, no record)."""

    def __init__(self, job):
        self.job = job
        self.units: list[str] = []
        created, updated = [], []
        batches = RosterImportBatch.objects.filter(job__in=_runs_of(job)) if job else ()
        for batch in batches:
            created += batch.created_rows
            updated += batch.updated_rows
            self.units += [u for u in batch.created_units if u not in self.units]
        self.created, self.updated = Runs(created), Runs(updated)

    def record_rows(self, plans: list[RowPlan]) -> None:
        """Called by the writer inside the transaction that writes ``plans``."""
        if self.job is None:
            return
        created, updated = Runs(), Runs()
        for plan in plans:
            if plan.status == NEW:
                created.add(plan.row)
            elif plan.status == UPDATE:
                updated.add(plan.row)
        if created or updated:
            RosterImportBatch.objects.create(
                job=self.job, created_rows=created.runs, updated_rows=updated.runs
            )

    def record_unit(self, name: str) -> None:
        """Called by the writer inside the transaction that creates the unit."""
        if name not in self.units:
            self.units.append(name)
        if self.job is not None:
            RosterImportBatch.objects.create(job=self.job, created_units=[name])

    def relabel(self, plans: list[RowPlan]) -> None:
        """Rows an earlier delivery wrote, now found unchanged, count as what was written."""
        if not (self.created or self.updated):
            return
        for plan in plans:
            if plan.status != UNCHANGED:
                continue
            if plan.row in self.created:
                plan.status = NEW
            elif plan.row in self.updated:
                plan.status = UPDATE


def _runs_of(job) -> list:
    """The job and the failed jobs it retries (``core.jobs.job_retry`` passes ``retry_of``): a
    retry of a failed import counts what the failed run wrote, as a redelivery does."""
    ids, seen = [job.pk], {str(job.pk)}
    previous = job.params.get("retry_of")
    while previous and previous not in seen and len(ids) < 20:
        seen.add(previous)
        row = Job.objects.filter(pk=previous, kind=job.kind, actor_id=job.actor_id).first()
        if row is None:
            break
        ids.append(row.pk)
        previous = row.params.get("retry_of")
    return ids
