"""Running an import: read, locate the header, parse, plan, and (when committing) write.

The CLI and the background jobs call ``run_import``; a preview is the same run without writes.
Rows stream through in chunks: beyond the sheet calamine holds (about 110 MB for 100,000 rows ×
12 columns; files are capped at 50 MB) memory is bounded by a chunk, whatever the row count.
"""

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record
from ganxun.core.jobs import SQLITE_PAUSE
from ganxun.orgs.models import Cadre, Org
from ganxun.orgs.roster import cache
from ganxun.orgs.roster.commit import Writer
from ganxun.orgs.roster.errors import RosterFileError, RowError
from ganxun.orgs.roster.headers import Header, locate_header
from ganxun.orgs.roster.lrmx import lrmx_table
from ganxun.orgs.roster.plan import ERROR, NEW, UNCHANGED, UPDATE, Planner, RowPlan
from ganxun.orgs.roster.reading import Table, open_tables, sniff
from ganxun.orgs.roster.resume import Ledger
from ganxun.orgs.roster.rows import Lookups, parse_rows
from ganxun.orgs.roster.units import UnitMatcher

LEVEL_LABELS = {value: str(label) for value, label in Cadre.Rank.choices}
CHUNK = 5000  # rows read and planned at a time; on PostgreSQL also written in one transaction
# On SQLite a write transaction blocks every other writer (a page saving its session, a login):
# there each transaction is sized to last about WRITE_SECONDS, starting small so the bar moves at
# once, never above SQLITE_MAX_WRITE changed rows, and the lock is left free between two
# (``Progress.checkpoint``). Measured figures: docs/benchmarks.md, "Roster import while the site
# is in use".
WRITE_SECONDS = 0.25
FIRST_CHUNK = 500
SQLITE_FIRST_WRITE, SQLITE_MIN_WRITE, SQLITE_MAX_WRITE = 100, 50, 1000


@dataclass
class ImportOptions:
    root: Org  # the importer's scope: every row's unit and every updated cadre must be inside
    actor: object = None  # None for the operator's CLI (the audit log says "system")
    commit: bool = False
    create_units_under: Org | None = None
    filename: str = ""
    default_rank: int | None = None  # RankTitle id for new people whose row names no rank


@dataclass
class ImportSummary:
    sheet: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as in the file
    rows: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
    )
    errors: list[RowError] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    committed: bool = False
    # what the rows to be written (new and updated) hold: category name / level label → rows
    by_category: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    unknown_tags: dict[str, int] = field(default_factory=dict)  # word → rows, for "add tag"
    warnings: int = 0

    def add(self, plans: list[RowPlan], vocab=None) -> None:
        self.rows += len(plans)
        for plan in plans:
            self.counts[plan.status] += 1
            self.errors.extend(plan.parsed.errors)
            for warning in plan.parsed.warnings:
                self.warnings += 1
                if warning.code == "unknown_tag":
                    word = warning.message.split("“", 1)[1].split("”", 1)[0]
                    self.unknown_tags[word] = self.unknown_tags.get(word, 0) + 1
            if vocab is not None and plan.status in (NEW, UPDATE):
                self._tally(plan, vocab)

    def _tally(self, plan: RowPlan, vocab) -> None:
        values, existing = plan.values, plan.existing
        category = values.get(
            "personnel_category", existing.personnel_category if existing else None
        )
        name = vocab.name_of("personnel_category", category) or "未填"
        self.by_category[name] = self.by_category.get(name, 0) + 1
        level = values.get("rank", existing.rank if existing else "")
        label = LEVEL_LABELS.get(level, "") or "未能对应层次"
        self.by_level[label] = self.by_level.get(label, 0) + 1

    def as_json(self) -> dict:
        """The CLI's --json shape, exactly."""
        return {
            "rows": self.rows,
            "new": self.counts[NEW],
            "updated": self.counts[UPDATE],
            "unchanged": self.counts[UNCHANGED],
            "errors": [e.as_dict() for e in self.errors],
        }

    def as_result(self) -> dict:
        """What a job keeps on its row (errors are in the stored preview files)."""
        return {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "rows": self.rows,
            "counts": self.counts,
            "error_count": len(self.errors),
            "created_units": self.created_units,
            "committed": self.committed,
            "by_category": self.by_category,
            "by_level": self.by_level,
            "unknown_tags": self.unknown_tags,
            "warnings": self.warnings,
        }


def open_roster(path: Path) -> tuple[Table, Header, Iterator[tuple[int, list]]]:
    """The first visible sheet that has a recognisable header (offices keep notes on others);
    a folder of 任免审批表 (.lrmx) reads as one sheet, a row per form."""
    if sniff(path) == "lrmx":
        table = lrmx_table(path)
        header, rows = locate_header(table)
        return table, header, rows
    first_error = None
    for table in open_tables(path):
        try:
            header, rows = locate_header(table)
        except RosterFileError as exc:
            first_error = first_error or exc
            continue
        return table, header, rows
    raise first_error or RosterFileError("empty_sheet", _("文件中没有可导入的工作表。"))


@contextmanager
def _fewer_collections():
    """A 100,000-row import makes millions of short-lived objects and no reference cycles; with
    the default thresholds the collector rescans the growing heap again and again (measured:
    about a third of the parsing time). Collect rarely while importing, as before afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_import(
    path: Path,
    options: ImportOptions,
    *,
    progress=None,
    sink=None,
    cache_to: Path | None = None,
    cache_from: Path | None = None,
    job=None,
) -> ImportSummary:
    """Read (or load what a preview parsed, ``cache_from``), plan, and write when committing.

    ``cache_to`` keeps this run's parsed rows for a later commit; ``sink`` receives the plans;
    ``job`` (a commit job) keeps a record of each write transaction (``resume``), so the job
    delivered again after its worker died reports what a run never interrupted reports."""
    with _fewer_collections(), _sqlite_tuned_for_bulk():
        return _run_import(path, options, progress, sink, cache_to, cache_from, job)


def _run_import(path, options, progress, sink, cache_to, cache_from, job) -> ImportSummary:
    lookups = Lookups(UnitMatcher(options.root, create_under=options.create_units_under))
    sheet, total, header, parsed, from_cache = _source(path, lookups, cache_from)
    default_rank = lookups.vocab.rank_names.get(options.default_rank)
    planner = Planner(root=options.root, header=header, lookups=lookups, default_rank=default_rank)
    ledger = Ledger(job if options.commit else None)
    writer = Writer(
        actor=options.actor,
        lookups=lookups,
        create_under=options.create_units_under,
        ledger=ledger,
    )
    pace = Pace(progress)
    keeper = cache.CacheWriter(cache_to) if cache_to is not None and not from_cache else None
    summary = ImportSummary(
        sheet=sheet,
        header_row=header.row,
        columns={name: column.label for name, column in header.columns.items()},
    )
    if progress is not None:
        progress.start(total, "正在导入…" if options.commit else "正在检查…")
    if sink is not None:
        sink.start(header, lookups)
    if keeper is not None:
        keeper.start(sheet, total, header)
    try:
        size = min(FIRST_CHUNK, CHUNK)  # small at first: the bar moves soon after reading
        while chunk := list(islice(parsed, size)):
            size = CHUNK
            if keeper is not None:
                keeper.add(chunk)  # as parsed, before planning adds its own errors
            plans = planner.classify(chunk)
            if options.commit:
                plans = _write_chunk(writer, planner, plans, pace, progress)
                ledger.relabel(plans)  # rows an earlier delivery wrote count as written
            summary.add(plans, lookups.vocab)
            if sink is not None:
                sink.add(plans)
            if progress is not None:
                progress.advance(chunk[-1].row, f"已处理 {summary.rows} 行")
    finally:
        for s in (sink, keeper):
            if s is not None:
                s.close()
    summary.created_units = list(ledger.units)
    if options.commit:
        summary.committed = True
        _audit_summary(options, summary)
    return summary


def _source(path: Path, lookups: Lookups, cache_from: Path | None):
    """(sheet name, row total, header, parsed rows, whether they came from a preview's cache)."""
    cached = cache.load(cache_from) if cache_from is not None else None
    if cached is not None:
        sheet, total, header, chunks = cached
        return sheet, total, header, cache.unpack(chunks, header, lookups), True
    table, header, rows = open_roster(path)
    parsed = parse_rows(rows, header, lookups, unreadable=table.unreadable)
    return table.name, table.total, header, parsed, False


@contextmanager
def _sqlite_tuned_for_bulk():
    """Two per-connection SQLite settings for the length of a commit (measured on 100,000 rows):
    a 64 MB page cache instead of 2 MB, so the roster's six indexes stay in memory; and a WAL
    checkpoint every 40 MB instead of every 4 MB, so an index page rewritten by fifty batches
    is copied into the database file a few times rather than fifty. Both are restored after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -65536")
        cursor.execute("PRAGMA wal_autocheckpoint = 10000")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")


class Pace:
    """How many changed rows one write transaction takes, and the pause between two.

    PostgreSQL: a chunk per transaction (writers do not block each other's rows). SQLite: sized
    from the last transaction's duration towards ``WRITE_SECONDS``, at most doubling each time,
    within [SQLITE_MIN_WRITE, SQLITE_MAX_WRITE]; before every transaction but the first, the
    job's checkpoint (the worker stopping ends the job there; the lock is left free a moment)."""

    def __init__(self, progress):
        self.sqlite = connection.vendor == "sqlite"
        self.size = SQLITE_FIRST_WRITE if self.sqlite else CHUNK
        self.checkpoint = getattr(progress, "checkpoint", None) or _pause
        self.writes = 0

    def batches(self, plans: list[RowPlan]) -> Iterator[tuple[list[RowPlan], bool]]:
        """Consecutive slices of ``plans`` with at most ``size`` changed rows each, and whether
        the slice has any (unchanged and error rows cost no write)."""
        batch, changed = [], 0
        for plan in plans:
            batch.append(plan)
            if plan.status in (NEW, UPDATE):
                changed += 1
                if changed >= self.size:
                    yield batch, True
                    batch, changed = [], 0
        if batch:
            yield batch, changed > 0

    def before_write(self) -> None:
        if self.writes:
            self.checkpoint()
        self.writes += 1

    def took(self, seconds: float) -> None:
        if not self.sqlite:
            return
        wanted = int(self.size * WRITE_SECONDS / max(seconds, 0.001))
        self.size = max(SQLITE_MIN_WRITE, min(SQLITE_MAX_WRITE, wanted, self.size * 2))


def _pause() -> None:
    """Between two write transactions outside a job (the CLI): on SQLite, leave the lock free
    a moment for the site, as ``Progress.checkpoint`` does for a job."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(SQLITE_PAUSE)


def _write_chunk(writer, planner, plans: list[RowPlan], pace: Pace, progress) -> list[RowPlan]:
    out: list[RowPlan] = []
    for batch, changed in pace.batches(plans):
        if changed:
            pace.before_write()
            started = time.monotonic()
            batch = _write(writer, planner, batch)
            pace.took(time.monotonic() - started)
            if progress is not None:
                progress.advance(batch[-1].row)
        out += batch
    return out


def _write(writer: Writer, planner: Planner, plans: list[RowPlan]) -> list[RowPlan]:
    """Write one chunk. Should another import have registered one of these people since the
    chunk was planned (the unique ID number refuses the insert), plan it again and retry once."""
    try:
        writer.write(plans)
    except IntegrityError:
        plans = planner.classify([plan.parsed for plan in plans])
        writer.write(plans)
    return plans


def _audit_summary(options: ImportOptions, summary: ImportSummary) -> None:
    """One entry per import that changed something; a re-import that changes nothing writes
    nothing, not even this."""
    if not (summary.counts[NEW] or summary.counts[UPDATE] or summary.created_units):
        return
    counts = summary.as_result()["counts"]
    audit_record(
        actor=options.actor,
        action="create",
        object_type="orgs.cadre",
        object_id="import",
        object_repr=f"干部名册导入：{options.filename or '（命令行）'}"[:200],
        changes={
            "file": [None, options.filename],
            "scope": [None, options.root.name],
            "rows": [None, summary.rows],
            **{key: [None, value] for key, value in counts.items()},
            "created_units": [None, summary.created_units],
        },
    )
