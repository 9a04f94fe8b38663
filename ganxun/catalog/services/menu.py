"""Finalizing a call: the last round's advanced proposals become published courses on the
call's training menu (培训菜单), taught by lecturers of the owner's faculty pool."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer, MenuItem, Proposal, ProposalCall
from ganxun.catalog.services.common import record
from ganxun.catalog.services.proposals import last_round_of, require_call_manager, round_candidates
from ganxun.core.scoping import children_of, refetch

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def _lecturer_for(call: ProposalCall, proposal: Proposal) -> tuple[Lecturer, bool]:
    """The pool's lecturer for the proposal: the one chosen, the same person already in the
    owner's pool, or a new entry (departments often propose their own 一把手)."""
    if proposal.lecturer is not None:  # loads nothing when lecturer_id is None
        return proposal.lecturer, False
    # The caller manages the call (require_call_manager).
    # scope: the call owner's whole pool, so the same person is never entered twice
    existing = Lecturer._base_manager.filter(
        owner=call.owner, name=proposal.lecturer_name, affiliation=proposal.unit.name
    ).first()
    if existing:
        return existing, False
    lecturer = Lecturer.objects.create(
        owner=call.owner,
        name=proposal.lecturer_name,
        affiliation=proposal.unit.name,
        title=proposal.lecturer_title,
        kind=Lecturer.Kind.OTHER,
    )
    return lecturer, True


def _course_from(call: ProposalCall, proposal: Proposal) -> Course:
    title = proposal.title
    # scope: a title clash anywhere in the call owner's catalogue (the caller manages the call)
    if Course._base_manager.filter(owner=call.owner, title=title).exists():
        title = f"{title}（{proposal.unit.name}）"
    return Course.objects.create(
        owner=call.owner,
        title=title[:200],
        theme=proposal.theme,
        form=proposal.form,
        hours=proposal.hours,
        summary=proposal.outline,
        status=Course.Status.PUBLISHED,
    )


@transaction.atomic
def menu_finalize(*, actor: "User", call: ProposalCall) -> dict:
    """Turn the last round's advanced proposals into published courses on the call's menu."""
    require_call_manager(actor, call)
    call = refetch(call, lock=True)
    if call.status == ProposalCall.Status.FINALIZED:
        raise CatalogError("call_finalized", _("该征集已定稿。"))
    last = last_round_of(call)
    if last is None:
        raise CatalogError("no_rounds", _("还没有进行任何一轮评审。"))
    if last.is_open:
        raise CatalogError(
            "round_still_open", _("%(last)s尚未结束，请先结束该轮评审。") % {"last": last}
        )
    chosen = round_candidates(call, last)
    if not chosen:
        raise CatalogError(
            "empty_menu", _("%(last)s没有通过的申报，无法生成培训菜单。") % {"last": last}
        )
    start = children_of(call, MenuItem, "call").aggregate(m=Max("sort"))["m"] or 0
    new_lecturers = 0
    for sort, proposal in enumerate(chosen, start=start + 1):
        course = _course_from(call, proposal)
        lecturer, created = _lecturer_for(call, proposal)
        course.lecturers.through.objects.create(course=course, lecturer=lecturer)
        new_lecturers += created
        MenuItem.objects.create(call=call, course=course, proposal=proposal, sort=sort)
        children_of(call, Proposal, "call").filter(pk=proposal.pk).update(
            status=Proposal.Status.SELECTED, course=course, updated_at=timezone.now()
        )
        record(actor, "create", course, {}, {"title": course.title, "from_proposal": proposal.pk})
    call.status, call.finalized_at = ProposalCall.Status.FINALIZED, timezone.now()
    call.save(update_fields=["status", "finalized_at"])
    record(actor, "update", call, {"status": "reviewing"}, {"status": "finalized"})
    return {"courses": len(chosen), "new_lecturers": new_lecturers}
