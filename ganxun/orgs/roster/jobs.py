"""The import as background jobs: upload → preview job → (user commits) → commit job.

Each job re-checks the actor's rights and scope when it runs, re-reads the saved upload and
re-plans against the database as it is then, so what a commit writes matches the database at
commit time, not at preview time.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.jobs import job_handler, job_result_path, job_start
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Org
from ganxun.orgs.policies import can_edit_roster, can_manage_orgs
from ganxun.orgs.roster import cache
from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.importer import ImportOptions, run_import
from ganxun.orgs.roster.reading import MAX_BYTES, sniff
from ganxun.orgs.roster.report import PreviewStore

PREVIEW, COMMIT = "roster_preview", "roster_commit"
KINDS = (PREVIEW, COMMIT)


def save_upload(upload) -> Path:
    """Keep the uploaded file under DATA_DIR/imports/<uuid>/, refusing what is not a roster."""
    if upload.size > MAX_BYTES:
        raise RosterFileError(
            "file_too_large",
            _(
                "文件有 %(value)s MB，超过了 %(value2)s MB 的上限；请删除无关的工作表、图片后再导"
                "入，或拆分成几个文件。"
            )
            % {"value": f"{upload.size / 1024 / 1024:.0f}", "value2": MAX_BYTES // 1024 // 1024},
        )
    folder = Path(settings.DATA_DIR) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / "upload"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        kind = sniff(path)
    except RosterFileError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path.rename(folder / f"upload.{kind}")


def roster_preview_start(
    *,
    actor,
    path: Path,
    filename: str,
    root: Org,
    create_units_under: Org | None = None,
    default_rank: int | None = None,
) -> Job:
    _authorise(actor, root, create_units_under)
    params = {
        "file": str(path),
        "filename": filename,
        "root": root.pk,
        "create_units_under": create_units_under.pk if create_units_under else None,
        "default_rank": default_rank,
    }
    return job_start(actor=actor, kind=PREVIEW, title=f"检查名册：{filename}", params=params)


def roster_commit_start(*, actor, preview: Job) -> Job:
    params = {**preview.params, "preview": str(preview.pk)}
    return job_start(
        actor=actor, kind=COMMIT, title=f"导入名册：{preview.params['filename']}", params=params
    )


@job_handler(PREVIEW)
def run_preview(job: Job, progress) -> dict:
    return _run(job, progress, commit=False)


@job_handler(COMMIT)
def run_commit(job: Job, progress) -> dict:
    return _run(job, progress, commit=True)


def _run(job: Job, progress, *, commit: bool) -> dict:
    options = _options(job, commit=commit)
    folder = job_result_path(job, "rows").parent
    store = PreviewStore(folder)
    # the preview keeps what it parsed; the commit loads it and plans again against the database
    preview = job.params.get("preview")
    summary = run_import(
        Path(job.params["file"]),
        options,
        progress=progress,
        sink=store,
        cache_to=None if commit else folder,
        cache_from=job_folder(preview) if commit and preview else None,
        job=job,
    )
    if commit and preview:
        # the preview's parsed rows hold full ID numbers: once committed they are not needed
        (job_folder(preview) / cache.CACHE_NAME).unlink(missing_ok=True)
    if store.error_report is not None:
        job.result_file = str(store.error_report)
    job.errors = [str(e) for e in summary.errors[:50]]
    c = summary.counts
    job.message = (
        f"{'已导入' if commit else '检查完毕'}：共 {summary.rows} 行，新增 {c['new']}，"
        f"更新 {c['update']}，未变 {c['unchanged']}，有错误 {c['error']}"
    )
    return summary.as_result()


def roster_preview_again(*, actor, preview: Job) -> Job:
    """The same upload previewed again (after a tag was added to the list, say)."""
    # scope: ids the job stored when it started; roster_preview_start re-checks them (_authorise)
    with unscoped():
        root = Org.objects.filter(pk=preview.params["root"]).first()
        under = preview.params.get("create_units_under")
        create_under = Org.objects.filter(pk=under).first() if under else None
    return roster_preview_start(
        actor=actor,
        path=Path(preview.params["file"]),
        filename=preview.params["filename"],
        root=root,
        create_units_under=create_under,
        default_rank=preview.params.get("default_rank"),
    )


def job_folder(job_id) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / str(job_id)


def _options(job: Job, *, commit: bool) -> ImportOptions:
    """Rebuild the options from ids, re-checking the actor's rights as they are now."""
    params = job.params
    # scope: ids the job stored when it started, re-checked by _authorise just below
    with unscoped():
        root = Org.objects.filter(pk=params["root"]).first()
        under = params.get("create_units_under")
        create_under = Org.objects.filter(pk=under).first() if under else None
    _authorise(job.actor, root, create_under)
    return ImportOptions(
        root=root,
        actor=job.actor,
        commit=commit,
        create_units_under=create_under,
        filename=params["filename"],
        default_rank=params.get("default_rank"),
    )


def _authorise(actor, root: Org | None, create_under: Org | None) -> None:
    if not can_edit_roster(actor) or root is None or actor.org is None:
        raise PermissionDenied()
    if not root.is_within(actor.org):
        raise PermissionDenied("所选导入范围不在您的管理范围内。")
    if create_under is not None:
        if not can_manage_orgs(actor):
            raise PermissionDenied("只有管理员可以在导入时新建单位。")
        if not create_under.is_within(root) or not create_under.is_active:
            raise PermissionDenied("新建单位的上级必须是导入范围内在用的组织。")
