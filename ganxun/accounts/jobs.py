"""Opening trainee accounts in bulk: a background job that ends in a credentials workbook.

How it stays fast and keeps the site up (issue 15): accounts are opened in batches of
``BATCH`` cadres, each batch in one short transaction (``services.trainee_accounts_create``),
and an initial password costs a keyed SHA-256, not Argon2 (``passwords.InitialPasswordHasher``:
re-hashed with Argon2 at the first sign-in, when the trainee must also change it).

How no initial password is lost (issue 25): before a batch is committed, its passwords are
appended to ``credentials.jsonl`` in the job's folder and flushed to disk. A killed worker's job is
delivered again (``ops.worker``) and a failed one can be retried (``core.jobs.job_retry`` passes
``retry_of``): the next run reads the lines already written (and those of the run it retries),
skips the cadres that already have an account, and goes on. The workbook is built at the end from
the lines whose password still matches the account's stored one (a batch that was written but
never committed, or whose account already changed its password, is left out or marked).
On SIGTERM the worker stops the job at the next batch boundary (``progress.checkpoint``).
"""

import json
import os
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.accounts.passwords import (
    encode_initial_password,
    initial_password_matches,
    is_initial_password,
)
from ganxun.accounts.services import generate_password, trainee_accounts_create, trainee_username
from ganxun.core.exports import safe_workbook, stamp_workbook
from ganxun.core.jobs import job_handler, job_result_link, job_result_path, job_start
from ganxun.core.models import Job
from ganxun.orgs.forms import cadre_filters
from ganxun.orgs.models import Cadre
from ganxun.orgs.selectors import cadre_search

KIND = "trainee_accounts"
BATCH = 250  # ~0.1 s of write lock on an idle machine; pages wait at most that
FIRST_BATCH = 50
LEDGER = "credentials.jsonl"
NOTE = "也可用身份证号登录；首次登录须修改密码"


def trainee_accounts_start(*, actor, params: dict):
    return job_start(actor=actor, kind=KIND, title="批量开通学员账号", params=params)


@job_handler(KIND)
def run_trainee_accounts(job, progress) -> dict:
    actor = job.actor
    ledger = job_result_path(job, LEDGER)
    _adopt_previous_run(job, ledger)
    todo = (
        cadre_search(actor, cadre_filters(actor, job.params))
        .filter(status=Cadre.Status.ACTIVE, account__isnull=True)
        .prefetch_related(None)
        .select_related(None)
        .select_related("unit")
        .only("pk", "name", "unit_id", "unit__name", "unit__path")
        .order_by("pk")
    )
    already = _ledger_size(ledger)
    total = already + todo.count()
    job.done = already
    progress.start(total, "正在开通账号…")
    last_pk, size = 0, FIRST_BATCH  # a small first batch: the bar moves within a second
    while True:
        progress.checkpoint()  # SIGTERM: stop here, between two committed batches
        batch = list(todo.filter(pk__gt=last_pk)[:size])
        size = BATCH
        if not batch:
            break
        last_pk = batch[-1].pk
        passwords = {cadre.pk: generate_password() for cadre in batch}
        _append(ledger, batch, passwords)  # on disk before the accounts exist
        trainee_accounts_create(
            actor=actor,
            cadres=batch,
            initial_passwords={pk: encode_initial_password(p) for pk, p in passwords.items()},
        )
        progress.advance(min(job.done + len(batch), total))
    issued = _verified(ledger)
    path = job_result_path(job, "trainee-accounts.xlsx")
    _write_credentials(path, issued, actor)
    job.result_file = str(path)
    job.message = f"已开通 {len(issued)} 个学员账号。首次登录须修改密码。"
    return {"created": len(issued)}


def _adopt_previous_run(job, ledger: Path) -> None:
    """A retried job starts from the lines of the run it retries (its accounts exist now)."""
    previous = job.params.get("retry_of")
    if not previous or ledger.exists():
        return
    old = Job.objects.filter(pk=previous, kind=KIND, actor=job.actor).first()
    old_ledger = Path(job_result_path(old, LEDGER)) if old else None
    if old_ledger is not None and old_ledger.exists():
        ledger.write_bytes(old_ledger.read_bytes())


def _ledger_size(ledger: Path) -> int:
    if not ledger.exists():
        return 0
    with ledger.open(encoding="utf-8") as f:
        return len({json.loads(line)["username"] for line in f if line.strip()})


def _append(ledger: Path, batch: list[Cadre], passwords: dict[int, str]) -> None:
    lines = "".join(
        json.dumps(
            {
                "username": trainee_username(c),
                "name": c.name,
                "unit": c.unit.name,
                "password": passwords[c.pk],
            },
            ensure_ascii=False,
        )
        + "\n"
        for c in batch
    )
    fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, lines.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _verified(ledger: Path) -> list[tuple[str, str, str, str, str]]:
    """(name, unit, username, password, note) for every account the ledger opened: the line whose
    password matches the stored hash, or the account marked as already activated."""
    if not ledger.exists():
        return []
    entries: dict[str, list[dict]] = {}
    with ledger.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                entry = json.loads(line)
                entries.setdefault(entry["username"], []).append(entry)
    names = list(entries)
    stored: dict[str, str] = {}
    for i in range(0, len(names), 900):  # SQLite's limit on query parameters
        chunk = names[i : i + 900]
        stored.update(
            User.objects.filter(Q(username__in=chunk)).values_list("username", "password")
        )
    issued = []
    for username, candidates in entries.items():
        encoded = stored.get(username)
        if encoded is None:
            continue  # written to the file, but the batch was never committed
        if not is_initial_password(encoded):
            first = candidates[-1]
            issued.append((first["name"], first["unit"], username, "", "已激活（已修改密码）"))
            continue
        for entry in candidates:
            if initial_password_matches(entry["password"], encoded):
                issued.append((entry["name"], entry["unit"], username, entry["password"], NOTE))
                break
    issued.sort(key=lambda row: (row[1], row[0], row[2]))  # by unit, then name
    return issued


@job_result_link(KIND)
def trainee_accounts_link(job) -> tuple[str, str]:
    """The roster the job worked on, now listing the cadres who have an account."""
    query = {**job.params, "account": "yes"}
    return reverse("cadres:list") + "?" + urlencode(query), _("查看已开通账号的干部")


def _write_credentials(path, issued: list[tuple[str, str, str, str, str]], actor) -> None:
    book = safe_workbook(str(path), constant_memory=True)

    sheet = book.add_worksheet("学员账号")
    bold = book.add_format({"bold": True})
    for col, title in enumerate(["姓名", "单位", "用户名", "初始密码", "说明"]):
        sheet.write_string(0, col, title, bold)
    sheet.set_column(0, 4, 18)
    for row, values in enumerate(issued, start=1):
        for col, value in enumerate(values):
            sheet.write_string(row, col, value)
    stamp_workbook(book, actor, what="学员账号及初始密码")
    book.close()
