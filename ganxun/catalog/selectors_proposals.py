"""Reads for course proposals, selection rounds and menus, scoped to the actor."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ganxun.accounts.selectors import unit_contacts
from ganxun.catalog import policies
from ganxun.catalog.models import (
    CallTarget,
    MenuItem,
    Proposal,
    ProposalCall,
    Review,
    RoundEntry,
    SelectionRound,
)
from ganxun.catalog.selectors import _get, lecturer_names
from ganxun.core.notices import remind_due
from ganxun.core.scoping import children_of

if TYPE_CHECKING:
    from ganxun.accounts.models import User
    from ganxun.orgs.models import Org


def _root(actor: "User") -> "Org":
    """The actor's root org. The pages calling this admit staff by role; an account without an
    org failed on ``actor.org.path`` before, and fails here by name."""
    assert actor.org is not None, "an account without an org has no subtree"
    return actor.org


def calls_for(actor: "User") -> QuerySet[ProposalCall]:
    return (
        ProposalCall.objects.visible_to(actor)
        .select_related("owner")
        .annotate(
            n_proposals=Count(
                "proposals", filter=~Q(proposals__status=Proposal.Status.WITHDRAWN), distinct=True
            ),
            n_rounds=Count("rounds", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def get_call_for(actor: "User", pk) -> ProposalCall:
    qs = ProposalCall.objects.visible_to(actor).select_related("owner", "created_by")
    return _get(qs.prefetch_related("reviewers"), pk)


def call_proposals(actor: "User", call: ProposalCall) -> QuerySet[Proposal]:
    return (
        Proposal.objects.visible_to(actor)
        .filter(call=call)
        .select_related("unit", "theme", "last_round")
        .order_by("status", "unit__path", "submitted_at")
    )


def call_rounds(call: ProposalCall) -> QuerySet[SelectionRound]:
    """Rounds of a call the actor already holds (fetched through get_call_for)."""
    return (
        children_of(call, SelectionRound, "call")
        .annotate(
            n_entries=Count("entries", distinct=True),
            n_advanced=Count(
                "entries",
                filter=Q(entries__decision=RoundEntry.Decision.ADVANCED),
                distinct=True,
            ),
            n_reviews=Count("entries__reviews", distinct=True),
        )
        .order_by("seq")
    )


def call_menu(call: ProposalCall) -> QuerySet[MenuItem]:
    return (
        children_of(call, MenuItem, "call")
        .select_related("course__theme", "proposal__unit")
        .prefetch_related(Prefetch("course__lecturers", queryset=lecturer_names().queryset))
    )


def get_round_for(actor: "User", pk) -> SelectionRound:
    return _get(SelectionRound.objects.visible_to(actor).select_related("call__owner"), pk)


def round_entries(actor: "User", rnd: SelectionRound) -> Sequence[RoundEntry]:
    """The round's board. The organizer sees every reviewer's score; a reviewer sees their own
    (reviews are independent), so each entry carries ``mine`` and, for organizers, ``reviews``."""
    manages = policies.can_manage_call(actor, rnd.call)
    reviews = Review.objects.select_related("reviewer").order_by("reviewer_id")
    if not manages:
        reviews = reviews.filter(reviewer=actor)
    entries = list(
        RoundEntry.objects.visible_to(actor)
        .filter(round=rnd)
        .select_related("proposal__unit", "proposal__theme", "decided_by")
        .annotate(avg_score=Avg("reviews__score"), n_reviews=Count("reviews"))
        .prefetch_related(Prefetch("reviews", queryset=reviews, to_attr="shown_reviews"))
        .order_by("id")
    )
    for entry in entries:
        entry.mine = next((r for r in entry.shown_reviews if r.reviewer_id == actor.pk), None)
    if manages:
        entries.sort(key=lambda e: -(e.avg_score or -1))
    return entries


def get_entry_for(actor: "User", pk) -> RoundEntry:
    qs = RoundEntry.objects.visible_to(actor).select_related("round__call__owner", "proposal")
    return _get(qs, pk)


def get_proposal_for(actor: "User", pk) -> Proposal:
    qs = Proposal.objects.visible_to(actor).select_related(
        "call__owner", "unit", "theme", "lecturer", "last_round", "course", "proposer"
    )
    return _get(qs, pk)


def my_proposals(actor: "User") -> QuerySet[Proposal]:
    """What the contact's units proposed, to any call, with where each one stands."""
    return (
        Proposal.objects.visible_to(actor)
        .filter(unit__path__startswith=_root(actor).path)
        .select_related("call", "unit", "last_round", "course")
        .order_by("-submitted_at", "-id")
    )


def open_calls_for_proposers(actor: "User") -> QuerySet[ProposalCall]:
    """Calls from above (or the actor's own org) that still accept proposals."""
    root = _root(actor)
    return (
        ProposalCall.objects.visible_to(actor)
        .filter(status=ProposalCall.Status.OPEN)
        .filter(owner_id__in=[*root.ancestor_ids, root.pk])
        .select_related("owner")
    )


def pending_reviews(actor: "User") -> QuerySet[RoundEntry]:
    """Entries in open rounds of calls the actor reviews, not yet scored by the actor."""
    return (
        RoundEntry.objects.visible_to(actor)
        .filter(round__status=SelectionRound.Status.OPEN, round__call__reviewers=actor)
        .exclude(reviews__reviewer=actor)
    )


def call_targets_answered(call: ProposalCall) -> set[int]:
    """The named units that have a live proposal (their own or a sub-unit's) in the call."""
    targets = list(children_of(call, CallTarget, "call").select_related("unit"))
    paths = list(
        children_of(call, Proposal, "call")
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    return {t.unit_id for t in targets if any(p.startswith(t.unit.path) for p in paths)}


@dataclass
class TargetRow:
    """A unit a call names, for the organizer: has it answered, who its contacts are."""

    target: CallTarget
    answered: bool
    contacts: list
    remind_due: bool

    @property
    def unit(self):
        return self.target.unit


def call_target_rows(call: ProposalCall) -> list[TargetRow]:
    """The call's named units, those that have not answered first (three queries)."""
    targets = list(children_of(call, CallTarget, "call").select_related("unit"))
    answered = call_targets_answered(call)
    contacts = unit_contacts(t.unit_id for t in targets)
    now = timezone.now()
    rows = [
        TargetRow(
            t, t.unit_id in answered, contacts.get(t.unit_id, []), remind_due(t.reminded_at, now)
        )
        for t in targets
    ]
    return sorted(rows, key=lambda r: (r.answered, r.unit.path))
