"""Outline review (授课提纲审核): the lecturer submits, the leader in charge approves or returns
with comments, the lecturer answers a return with a new version. Every version and decision
stays on record; the session carries the current state for lists and dashboards."""

from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.catalog import files
from ganxun.catalog.models import Lecturer
from ganxun.core.errors import PermissionDenied
from ganxun.programs import policies
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Outline, OutlineDecision, OutlineStatus, Session
from ganxun.programs.models.reviews import outline_upload_to
from ganxun.programs.outline_groups import outline_holder, outline_siblings
from ganxun.programs.services.common import record

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MAX_OUTLINE_BYTES = 20 * files.MB
MAX_TEXT = 20_000


def session_lecturers(session: Session) -> list[Lecturer]:
    ids = Session.lecturers.through.objects.filter(session=session).values("lecturer_id")
    return list(Lecturer._base_manager.filter(pk__in=ids))


def _check_file(upload) -> files.Sniffed:
    if upload.size > MAX_OUTLINE_BYTES:
        raise ProgramError(
            "file_too_large", files.too_large_message(upload.size, MAX_OUTLINE_BYTES), field="file"
        )
    if upload.size == 0:
        raise ProgramError(
            "empty_file", _("文件是空的（0 字节），请检查是否选错了文件。"), field="file"
        )
    upload.seek(0)
    found = files.sniff(upload.read(64), upload)
    upload.seek(0)
    if not (found and found.content_type in files.DOCUMENT_TYPES):
        what = _("识别为%(label)s") % {"label": found.label} if found else _("无法识别其格式")
        raise ProgramError(
            "unsupported_file",
            _("该文件%(what)s；提纲请上传 PDF、Word 或 PPT。") % {"what": what},
            field="file",
        )
    return found


def _check_deadline(session: Session, siblings: list[Session]) -> None:
    """The first version must be in by the deadline (of the group's first class still to
    come); after a return the lecturer may answer until class begins (the reviewer asked)."""
    now = timezone.now()
    if now >= session.starts_at:
        raise ProgramError("session_started", _("课次已开始，不能再提交提纲。"))
    if session.outline_status == OutlineStatus.RETURNED:
        return
    due = min(s.outline_due() for s in siblings if s.starts_at > now)
    if now > due:
        raise ProgramError(
            "outline_late",
            _(
                "提纲提交截止时间为 %(due)s，已经过了。请联系教务组织者为本课次另"
                "设截止时间后再提交。"
            )
            % {"due": format(timezone.localtime(due), "%Y-%m-%d %H:%M")},
            field="file",
        )


@transaction.atomic
def outline_submit(*, actor: "User", session: Session, text: str = "", upload=None) -> Outline:
    session = Session._base_manager.select_for_update().select_related("program").get(pk=session.pk)
    if not policies.can_submit_outline(actor, session, session_lecturers(session)):
        raise PermissionDenied()
    if session.status != Session.Status.SCHEDULED:
        raise ProgramError("session_cancelled", _("该课次已取消。"))
    if session.outline_status == OutlineStatus.APPROVED:
        raise ProgramError("outline_approved", _("提纲已审核通过，无需再提交。"))
    if session.outline_status == OutlineStatus.SUBMITTED:
        raise ProgramError("outline_pending", _("上一版提纲正在审核中，请等待审核结果。"))
    siblings = outline_siblings(session)
    holder = outline_holder(siblings)
    last = Outline._base_manager.filter(session=holder).order_by("-version").first()
    text = str(text or "").strip()
    keeps_file = upload is None and last is not None and bool(last.file)
    if not text and upload is None and not keeps_file:
        raise ProgramError("outline_empty", _("请填写提纲内容或上传提纲文件。"), field="text")
    if len(text) > MAX_TEXT:
        raise ProgramError(
            "too_long",
            _("提纲内容最多 %(max_text)s 字。") % {"max_text": format(MAX_TEXT, ",")},
            field="text",
        )
    _check_deadline(session, siblings)
    sniffed = _check_file(upload) if upload is not None else None
    outline = Outline(
        session=holder, version=(last.version + 1) if last else 1, text=text, submitted_by=actor
    )
    if upload is not None:
        assert sniffed is not None  # checked with the upload above
        outline.file.name = default_storage.save(outline_upload_to(outline, upload.name), upload)
        outline.file_name = upload.name[:200]
        outline.content_type = sniffed.content_type
        outline.size = upload.size
    elif keeps_file:
        # A new version keeps the file of the last one unless a new file replaces it.
        assert last is not None  # keeps_file needs a last version
        outline.file.name = last.file.name
        outline.file_name, outline.content_type, outline.size = (
            last.file_name,
            last.content_type,
            last.size,
        )
    try:
        outline.save()
        _set_status(siblings, OutlineStatus.SUBMITTED)
        record(
            actor, "create", outline, {}, {"version": outline.version, "file": outline.file_name}
        )
    except Exception:
        # Nothing half-saved: a newly stored file goes with the failed rows (a kept one stays).
        if upload is not None and outline.file.name:  # the file is truthy by its name
            default_storage.delete(outline.file.name)
        raise
    return outline


def _set_status(sessions: list[Session], status: str) -> None:
    """The outline's state, on every session that shares it."""
    Session._base_manager.filter(pk__in=[s.pk for s in sessions]).update(
        outline_status=status, updated_at=timezone.now()
    )
    for session in sessions:
        session.outline_status = status


def outline_status_join(session: Session) -> None:
    """A session newly scheduled (or given a course or lecturer) joins its group's outline:
    batch 2 added after batch 1's outline was approved needs no second review."""
    if Outline._base_manager.filter(session=session).exists():
        return
    siblings = outline_siblings(session)
    if len(siblings) == 1:
        return
    holder = outline_holder(siblings)
    if holder.pk != session.pk and holder.outline_status != session.outline_status:
        _set_status([session], holder.outline_status)


@transaction.atomic
def outline_decide(
    *, actor: "User", outline: Outline, decision: str, comment: str = ""
) -> OutlineDecision:
    session = (
        Session._base_manager.select_for_update()
        .select_related("program")
        .get(pk=outline.session_id)
    )
    if not policies.is_reviewer_of(actor, session.program):
        raise PermissionDenied()
    if decision not in OutlineDecision.Decision.values:
        raise ProgramError("invalid_decision", _("请选择“通过”或“退回修改”。"), field="decision")
    siblings = outline_siblings(session)
    latest = Outline._base_manager.filter(session=session).order_by("-version").first()
    assert latest is not None  # at least ``outline`` itself
    if latest.pk != outline.pk or session.outline_status != OutlineStatus.SUBMITTED:
        raise ProgramError("outline_not_pending", _("这一版提纲已审核过或已有新版本。"))
    comment = str(comment or "").strip()
    if decision == OutlineDecision.Decision.RETURNED and not comment:
        raise ProgramError("comment_required", _("退回修改时请写明审核意见。"), field="comment")
    made = OutlineDecision.objects.create(
        outline=outline, decision=decision, comment=comment, decided_by=actor
    )
    status = OutlineStatus.APPROVED if decision == "approved" else OutlineStatus.RETURNED
    _set_status(siblings, status)
    record(actor, "update", outline, {"decision": None}, {"decision": decision, "comment": comment})
    return made
