"""Course proposals and their selection in rounds into a training menu. One transaction each.

call_create → proposal_submit (department contacts) → round_open("初选")
  → review_save (each reviewer) → entry_decide (organizer) → round_close
  → round_open("复选") … → menu_finalize: the last round's advanced proposals become
    published courses on the call's menu (培训菜单).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role, User
from ganxun.accounts.selectors import unit_contacts, users_visible_to
from ganxun.catalog import policies
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import (
    CallTarget,
    Lecturer,
    Proposal,
    ProposalCall,
    Review,
    RoundEntry,
    SelectionRound,
    TeachingForm,
    Theme,
)
from ganxun.catalog.selectors_proposals import call_targets_answered
from ganxun.catalog.services.common import clean_text, full_snapshot, record, require_visible
from ganxun.catalog.services.courses import clean_hours
from ganxun.core.audit import snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.notices import remind_due
from ganxun.core.scoping import children_of, refetch
from ganxun.messaging import outbox
from ganxun.messaging.outbox import To
from ganxun.orgs.models import Org

CALL_FIELDS = ["title", "guidance", "deadline", "status", "owner"]
PROPOSAL_FIELDS = [
    "title",
    "unit",
    "lecturer",
    "lecturer_name",
    "lecturer_title",
    "outline",
    "needs",
    "theme",
    "form",
    "hours",
    "status",
]
REVIEWER_ROLES = (Role.REVIEWER, Role.ORGANIZER, Role.ADMIN)
MAX_SCORE = 100


# --- calls -----------------------------------------------------------------------------------


def require_call_manager(actor: User, call: ProposalCall) -> None:
    if not policies.can_manage_call(actor, call):
        raise PermissionDenied()


def _check_reviewers(actor: User, reviewers: list[User]) -> None:
    ids = {u.pk for u in reviewers}
    allowed = (
        users_visible_to(actor)
        .filter(pk__in=ids, is_active=True, role_grants__role__in=REVIEWER_ROLES)
        .values_list("pk", flat=True)
        .distinct()
    )
    if set(allowed) != ids:
        raise CatalogError(
            "invalid_reviewer", _("评审人须为本级或下级的审核领导、教务组织者。"), field="reviewers"
        )


@transaction.atomic
def call_save(
    *,
    actor: User,
    call: ProposalCall | None,
    title: str,
    guidance: str = "",
    deadline=None,
    reviewers: list[User] | None = None,
    target_units: list[Org] | None = None,
) -> ProposalCall:
    """Open a call for course proposals (课程征集) for the actor's org, or change one.

    ``target_units`` names the units the call goes to (empty: every unit below the owner);
    the contacts of each newly named unit get one notice."""
    if not policies.can_edit_catalog(actor):
        raise PermissionDenied()
    if call is not None:
        require_call_manager(actor, call)
        if call.status == ProposalCall.Status.FINALIZED:
            raise CatalogError("call_finalized", _("该征集已定稿，不能再修改。"))
    reviewers = list(reviewers or [])
    _check_reviewers(actor, reviewers)
    owner = call.owner if call else actor.org
    targets = _check_targets(actor, owner, list(target_units or []))
    m2m = ("reviewers", "target_units")
    before = full_snapshot(call, CALL_FIELDS, m2m) if call else {}
    known = (
        set(children_of(call, CallTarget, "call").values_list("unit_id", flat=True))
        if call
        else set()
    )
    call = call or ProposalCall(owner=actor.org, created_by=actor)
    call.title = clean_text(title, field="title", label=_("征集名称"), max_length=200)
    call.guidance, call.deadline = guidance.strip(), deadline
    call.save()
    call.reviewers.set(reviewers)
    wanted = {u.pk for u in targets}
    children_of(call, CallTarget, "call").exclude(unit_id__in=wanted).delete()
    CallTarget.objects.bulk_create(
        [CallTarget(call=call, unit=u) for u in targets if u.pk not in known]
    )
    after = full_snapshot(call, CALL_FIELDS, m2m)
    record(actor, "update" if before else "create", call, before, after)
    added = [u for u in targets if u.pk not in known]
    if added and call.status == ProposalCall.Status.OPEN:
        _notify_targets(call, added, reminder=False)
    return call


def _check_targets(actor: User, owner: Org | None, units: list[Org]) -> list[Org]:
    """The named units must be below the call's owner and inside the actor's scope."""
    for unit in units:
        # owner is None only when the actor has no org, which fails already
        if (
            actor.org is None
            or owner is None
            or not unit.is_within(actor.org)
            or not unit.is_within(owner)
        ):
            raise CatalogError(
                "target_out_of_scope",
                _("%(unit)s不在本单位的管理范围内，不能作为征集单位。") % {"unit": unit.name},
                field="target_units",
            )
    return sorted({u.pk: u for u in units}.values(), key=lambda u: u.path)


def _notify_targets(call: ProposalCall, units: list[Org], *, reminder: bool) -> int:
    """One notice to each contact of these units: the call is open (or a reminder of it)."""
    contacts = unit_contacts(u.pk for u in units)
    users = [user for unit in units for user in contacts.get(unit.pk, [])]
    deadline = f"，申报截止 {call.deadline:%Y-%m-%d}" if call.deadline else ""
    return outbox.send(
        kind="call_reminder" if reminder else "call_opened",
        to=[To.user(u) for u in users],
        context={"call": call.title, "owner_org": call.owner.name, "deadline_note": deadline},
        url=reverse("catalog:call", args=[call.pk]),
        org_id=call.owner_id,
    )


def call_invites(call: ProposalCall, unit: Org | None) -> bool:
    """Whether the unit may answer the call: below its owner and, when the call names units,
    one of them (or below one)."""
    if unit is None or not unit.is_within(call.owner):
        return False
    targets = list(children_of(call, CallTarget, "call").select_related("unit"))
    return not targets or any(unit.is_within(t.unit) for t in targets)


@transaction.atomic
def call_remind(*, actor: User, call: ProposalCall, units: list[Org] | None = None) -> dict:
    """Remind the named units that have not answered (all of them, or those given): one notice
    per contact, at most once a day per unit. Returns {"units": n, "notices": n, "skipped": n}."""
    require_call_manager(actor, call)
    call = refetch(call, lock=True, related=("owner",))
    if call.status != ProposalCall.Status.OPEN:
        raise CatalogError(
            "call_closed", _("“%(title)s”已不在征集中，无需提醒。") % {"title": call.title}
        )
    targets = children_of(call, CallTarget, "call").select_related("unit")
    if units is not None:
        targets = targets.filter(unit__in=[u.pk for u in units])
    answered = call_targets_answered(call)
    now = timezone.now()
    pending = [t for t in targets if t.unit_id not in answered]
    due = [t for t in pending if remind_due(t.reminded_at, now)]
    if not pending:
        raise CatalogError("nothing_to_remind", _("所选单位都已申报，无需提醒。"))
    if not due:
        raise CatalogError("reminded_today", _("这些单位今天已提醒过，每个单位每天最多提醒一次。"))
    sent = _notify_targets(call, [t.unit for t in due], reminder=True)
    children_of(call, CallTarget, "call").filter(pk__in=[t.pk for t in due]).update(reminded_at=now)
    record(
        actor,
        "update",
        call,
        {},
        {"reminded_units": [t.unit.name for t in due], "notices": sent},
    )
    return {"units": len(due), "notices": sent, "skipped": len(pending) - len(due)}


# --- proposals -------------------------------------------------------------------------------


@dataclass
class ProposalData:
    unit: Org
    title: str
    outline: str
    lecturer_name: str = ""
    lecturer: Lecturer | None = None
    lecturer_title: str = ""
    needs: str = ""
    theme: Theme | None = None
    form: str = TeachingForm.LECTURE
    hours: Decimal | str = Decimal("3")


def _validate_proposal(actor: User, call: ProposalCall, data: ProposalData) -> ProposalData:
    if actor.org is None or not data.unit.is_within(actor.org):
        raise CatalogError("unit_out_of_scope", _("申报单位不在您的管理范围内。"), field="unit")
    if not call_invites(call, data.unit):
        raise CatalogError(
            "unit_not_invited",
            _("%(unit)s不在“%(call)s”的征集范围内。")
            % {"unit": data.unit.name, "call": call.title},
            field="unit",
        )
    data.title = clean_text(data.title, field="title", label=_("课程名称"), max_length=200)
    data.outline = clean_text(data.outline, field="outline", label=_("授课提纲"))
    require_visible(actor, Lecturer, [data.lecturer], field="lecturer", label=_("主讲人"))
    require_visible(actor, Theme, [data.theme], field="theme", label=_("专题"))
    if data.lecturer is not None and not data.lecturer_name.strip():
        data.lecturer_name = data.lecturer.name
    data.lecturer_name = clean_text(
        data.lecturer_name, field="lecturer_name", label=_("主讲人"), max_length=50
    )
    if data.form not in TeachingForm.values:
        raise CatalogError("invalid_form", _("请选择教学形式。"), field="form")
    data.hours = clean_hours(data.hours)
    return data


def _check_call_accepts(call: ProposalCall) -> None:
    if call.status != ProposalCall.Status.OPEN:
        raise CatalogError(
            "call_closed", _("“%(call)s”已进入评审，不再接受申报或修改。") % {"call": call.title}
        )
    if call.deadline and timezone.localdate() > call.deadline:
        raise CatalogError(
            "call_deadline_passed",
            _("“%(call)s”的申报已于 %(deadline)s 截止。")
            % {"call": call.title, "deadline": call.deadline},
        )


def _apply_proposal(proposal: Proposal, data: ProposalData) -> None:
    for name in PROPOSAL_FIELDS:
        if name != "status":
            setattr(proposal, name, getattr(data, name))
    proposal.save()


@transaction.atomic
def proposal_submit(*, actor: User, call: ProposalCall, data: ProposalData) -> Proposal:
    if not policies.can_propose(actor):
        raise PermissionDenied()
    # The caller fetched the call through get_call_for; lock it against a round opening now.
    call = refetch(call, lock=True)
    _check_call_accepts(call)
    data = _validate_proposal(actor, call, data)
    duplicate = Proposal.objects.visible_to(actor).filter(
        call=call, unit=data.unit, title=data.title
    )
    if duplicate.exclude(status=Proposal.Status.WITHDRAWN).exists():
        raise CatalogError(
            "duplicate_proposal",
            _("%(unit)s已申报过“%(title)s”。") % {"unit": data.unit.name, "title": data.title},
            field="title",
        )
    proposal = Proposal(call=call, proposer=actor)
    _apply_proposal(proposal, data)
    record(actor, "create", proposal, {}, full_snapshot(proposal, PROPOSAL_FIELDS))
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it is now: a round may have opened since the page was loaded."""
    return refetch(proposal, lock=True, related=("call", "unit"))


@transaction.atomic
def proposal_update(*, actor: User, proposal: Proposal, data: ProposalData) -> Proposal:
    if not policies.can_manage_proposal(actor, proposal):
        raise PermissionDenied()
    proposal = _locked(proposal)
    _check_call_accepts(proposal.call)
    if not proposal.is_editable:
        raise CatalogError("proposal_locked", _("该申报已进入评审或已撤回，不能修改。"))
    data = _validate_proposal(actor, proposal.call, data)
    before = full_snapshot(proposal, PROPOSAL_FIELDS)
    _apply_proposal(proposal, data)
    record(actor, "update", proposal, before, full_snapshot(proposal, PROPOSAL_FIELDS))
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    if not policies.can_manage_proposal(actor, proposal):
        raise PermissionDenied()
    proposal = _locked(proposal)
    if not proposal.is_editable:
        raise CatalogError(
            "proposal_locked", _("该申报已进入评审，不能撤回；如确需撤回请联系组织单位。")
        )
    before = snapshot(proposal, ["status"])
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    record(actor, "update", proposal, before, snapshot(proposal, ["status"]))
    return proposal


# --- rounds ----------------------------------------------------------------------------------


def last_round_of(call: ProposalCall) -> SelectionRound | None:
    return children_of(call, SelectionRound, "call").order_by("-seq").first()


def round_candidates(call: ProposalCall, last: SelectionRound | None) -> list[Proposal]:
    """The first round takes every proposal received; later ones, what the last round advanced."""
    if last is None:
        qs = children_of(call, Proposal, "call").filter(status=Proposal.Status.SUBMITTED)
    else:
        # scope: the proposals the held round advanced (one filter: the same entry row)
        qs = Proposal._base_manager.filter(
            entries__round=last, entries__decision=RoundEntry.Decision.ADVANCED
        )
    return list(qs.order_by("submitted_at", "id"))


@transaction.atomic
def round_open(*, actor: User, call: ProposalCall, name: str) -> SelectionRound:
    require_call_manager(actor, call)
    call = refetch(call, lock=True)
    if call.status == ProposalCall.Status.FINALIZED:
        raise CatalogError("call_finalized", _("该征集已定稿，不能再开启评审轮次。"))
    name = clean_text(name, field="name", label=_("轮次名称"), max_length=50)
    last = last_round_of(call)
    if last is not None and last.is_open:
        raise CatalogError(
            "round_still_open", _("%(last)s尚未结束，请先结束该轮评审。") % {"last": last}
        )
    candidates = round_candidates(call, last)
    if not candidates:
        raise CatalogError("no_candidates", _("没有可进入本轮评审的申报。"))
    rnd = SelectionRound.objects.create(call=call, seq=(last.seq + 1) if last else 1, name=name)
    RoundEntry.objects.bulk_create(RoundEntry(round=rnd, proposal=p) for p in candidates)
    # scope: the candidates were just read under the held call
    Proposal._base_manager.filter(pk__in=[p.pk for p in candidates]).update(
        status=Proposal.Status.REVIEWING, last_round=rnd, updated_at=timezone.now()
    )
    if call.status == ProposalCall.Status.OPEN:
        call.status = ProposalCall.Status.REVIEWING
        call.save(update_fields=["status"])
    record(actor, "create", rnd, {}, {"call": call.title, "name": name, "entries": len(candidates)})
    return rnd


def _locked_round(entry: RoundEntry) -> SelectionRound:
    """The entry's round as it is now, locked, so a score or decision cannot slip in while the
    organizer closes it."""
    return (
        # scope: the round of an entry the caller holds, locked to re-check it is open
        SelectionRound._base_manager.select_for_update()
        .select_related("call")
        .get(pk=entry.round_id)
    )


def _require_open(rnd: SelectionRound) -> None:
    if not rnd.is_open:
        raise CatalogError(
            "round_closed", _("%(rnd)s已结束，不能再评分或更改结论。") % {"rnd": rnd}
        )


@transaction.atomic
def review_save(*, actor: User, entry: RoundEntry, score: int, comment: str = "") -> Review:
    """A reviewer's score (百分制) and comment on a proposal in a round; saving again changes it."""
    rnd = _locked_round(entry)
    if not policies.is_reviewer_of(actor, rnd.call):
        raise PermissionDenied(_("您不是该征集的评审人。"))
    _require_open(rnd)
    if score is None or not 0 <= int(score) <= MAX_SCORE:
        raise CatalogError("invalid_score", _("评分须为 0–100 的整数。"), field="score")
    comment = clean_text(
        comment, field="comment", label=_("评审意见"), required=False, max_length=500
    )
    review, created = children_of(entry, Review, "entry").update_or_create(
        entry=entry, reviewer=actor, defaults={"score": int(score), "comment": comment}
    )
    record(
        actor,
        "create" if created else "update",
        review,
        {},
        {"proposal": entry.proposal.title, "round": str(rnd), "score": review.score},
    )
    return review


@transaction.atomic
def entry_decide(*, actor: User, entry: RoundEntry, decision: str, note: str = "") -> RoundEntry:
    rnd = _locked_round(entry)
    require_call_manager(actor, rnd.call)
    _require_open(rnd)
    if decision not in RoundEntry.Decision.values:
        raise CatalogError("invalid_decision", _("请选择通过或淘汰。"), field="decision")
    before = snapshot(entry, ["decision", "note"])
    entry.decision, entry.note, entry.decided_by = decision, note.strip()[:300], actor
    entry.save(update_fields=["decision", "note", "decided_by"])
    record(actor, "update", entry, before, snapshot(entry, ["decision", "note"]))
    return entry


@transaction.atomic
def round_close(*, actor: User, rnd: SelectionRound) -> SelectionRound:
    """Fix the round's decisions; proposals it rejected are out (未入选)."""
    require_call_manager(actor, rnd.call)
    rnd = refetch(rnd, lock=True)
    _require_open(rnd)
    entries = children_of(rnd, RoundEntry, "round").select_related("proposal")
    pending = [e.proposal.title for e in entries if e.decision == RoundEntry.Decision.PENDING]
    if pending:
        raise CatalogError(
            "undecided_entries",
            _("还有 %(count)s 项申报未给出结论：%(titles)s。")
            % {
                "count": len(pending),
                "titles": "、".join(f"《{t}》" for t in pending[:10])
                + (_("等") if len(pending) > 10 else ""),
            },
            titles=pending,
        )
    rejected = [e.proposal_id for e in entries if e.decision == RoundEntry.Decision.REJECTED]
    # scope: ids of the held round's entries
    Proposal._base_manager.filter(pk__in=rejected).update(
        status=Proposal.Status.REJECTED, updated_at=timezone.now()
    )
    rnd.status, rnd.closed_at = SelectionRound.Status.CLOSED, timezone.now()
    rnd.save(update_fields=["status", "closed_at"])
    record(actor, "update", rnd, {"status": "open"}, {"status": "closed"})
    return rnd
