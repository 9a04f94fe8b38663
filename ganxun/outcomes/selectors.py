"""Every read of outcomes, cut to what the actor may see.

Children of a program are read with ``children_of`` only after the program itself was fetched
with ``programs.selectors.get_program_for`` — the program is the unit of access.
"""

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.fetch import get_or_404 as _get
from ganxun.core.scoping import children_of
from ganxun.orgs.models import Cadre, Org
from ganxun.outcomes import policies
from ganxun.outcomes.models import (
    Attachment,
    Certificate,
    FollowUp,
    FollowUpSample,
    Outcome,
    SampleMember,
)
from ganxun.outcomes.models.graduation import normalize_code
from ganxun.programs import selectors as programs
from ganxun.programs.models import Program, ProgramTrainee

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def _org_path(actor: "User") -> str:
    """The root of a unit contact's subtree (the only callers: contacts and organizers)."""
    assert actor.org is not None  # unit contacts and organizers always have an org
    return actor.org.path


def get_managed_program_for(actor: "User", pk) -> Program:
    """Pages that run a program's outcomes: 404 when unseen, 403 when only readable."""
    program = programs.get_program_for(actor, pk)
    if not policies.can_manage(actor, program):
        raise PermissionDenied()
    return program


def get_readable_program_for(actor: "User", pk) -> Program:
    """The four-level summary and showcase: staff who see the program."""
    program = programs.get_program_for(actor, pk)
    if not policies.can_see_summary(actor):
        raise PermissionDenied()
    return program


# --- follow-ups ------------------------------------------------------------------------------

# The people named on a follow-up or outcome the caller holds: a trainee's outcome names
# colleagues of other units, whom their own roster view would drop.
# scope: people named on a held follow-up or outcome (prefetched with it)
CADRES = Prefetch("cadres", queryset=Cadre._base_manager.select_related("unit").order_by("name"))


def program_followups(program) -> QuerySet[FollowUp]:
    return (
        children_of(program, FollowUp, "program")
        .select_related("unit", "created_by")
        .prefetch_related(CADRES, "attachments")
        .order_by("-visited_on", "-id")
    )


def get_followup_for(actor: "User", pk) -> FollowUp:
    qs = FollowUp.objects.visible_to(actor).select_related("program", "unit", "created_by")
    return _get(qs.prefetch_related(CADRES, "attachments"), pk)


def latest_sample(program) -> FollowUpSample | None:
    return children_of(program, FollowUpSample, "program").order_by("-created_at", "-id").first()


def sample_checklist(program, sample: FollowUpSample) -> list[dict]:
    """The sample's people by unit, ticked when a follow-up of the program has seen them."""
    seen = set(
        FollowUp.cadres.through.objects.filter(followup__program=program).values_list(
            "cadre_id", flat=True
        )
    )
    members = children_of(sample, SampleMember, "sample").select_related("cadre", "unit")
    return [
        {"cadre": m.cadre, "unit": m.unit, "done": m.cadre_id in seen}
        for m in members.order_by("unit__path", "cadre__name")
    ]


def trainee_units(program, actor: "User | None" = None) -> QuerySet[Org]:
    """The units the program's trainees come from (within a unit contact's subtree)."""
    trainees = children_of(program, ProgramTrainee, "program")
    if (
        actor is not None
        and policies.is_unit_contact(actor)
        and not policies.can_manage(actor, program)
    ):
        trainees = trainees.filter(cadre__unit__path__startswith=_org_path(actor))
    # A unit contact's trainees are cut to their subtree above; the organizer of a program
    # sees every unit its trainees come from, outside the organizer's own tree too.
    # scope: the units of the held program's trainees
    return Org._base_manager.filter(pk__in=trainees.values("cadre__unit_id")).order_by("path")


def trainee_cadres(program, actor: "User | None" = None) -> QuerySet[Cadre]:
    trainees = children_of(program, ProgramTrainee, "program")
    if (
        actor is not None
        and policies.is_unit_contact(actor)
        and not policies.can_manage(actor, program)
    ):
        trainees = trainees.filter(cadre__unit__path__startswith=_org_path(actor))
    return (
        # scope: the held program's trainees (a unit contact's cut to their subtree above)
        Cadre._base_manager.filter(pk__in=trainees.values("cadre_id"))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


# --- outcomes --------------------------------------------------------------------------------


def _outcome_details(qs: QuerySet[Outcome]) -> QuerySet[Outcome]:
    return qs.select_related("program", "unit", "submitted_by").prefetch_related(
        CADRES, "attachments"
    )


def get_outcome_for(actor: "User", pk) -> Outcome:
    qs = _outcome_details(Outcome.objects.visible_to(actor))
    return _get(qs.prefetch_related("reviews__decided_by"), pk)


def my_outcomes(actor: "User") -> QuerySet[Outcome]:
    return _outcome_details(Outcome.objects.visible_to(actor)).order_by("-submitted_at", "-id")


def program_outcomes(program, *, status: str = "") -> QuerySet[Outcome]:
    qs = children_of(program, Outcome, "program")
    if status:
        qs = qs.filter(status=status)
    return _outcome_details(qs).order_by("-submitted_at", "-id")


def showcase(program) -> QuerySet[Outcome]:
    qs = children_of(program, Outcome, "program").filter(published_at__isnull=False)
    return _outcome_details(qs).order_by("kind", "-published_at")


def outcome_status_counts(program) -> dict[str, int]:
    rows = (
        children_of(program, Outcome, "program").values("status").annotate(n=Count("pk")).order_by()
    )
    return {r["status"]: r["n"] for r in rows}


def programs_for_submitter(actor: "User") -> QuerySet[Program]:
    """Programs a trainee took part in, or with trainees of a unit contact's subtree."""
    if policies.is_unit_contact(actor):
        # scope: cut by hand to the trainees of the contact's own subtree
        trainees = ProgramTrainee._base_manager.filter(
            cadre__unit__path__startswith=_org_path(actor)
        )
    elif policies.is_trainee(actor):
        assert actor.cadre_id is not None  # is_trainee requires a cadre
        # scope: cut by hand to the trainee's own rows
        trainees = ProgramTrainee._base_manager.filter(cadre_id=actor.cadre_id)
    else:
        return Program.objects.visible_to(actor).none()
    # scope: programs those trainees took part in, organized above the contact's unit too
    return Program._base_manager.filter(pk__in=trainees.values("program_id")).order_by(
        "-start_date", "-id"
    )


def get_attachment_for(actor: "User", pk) -> Attachment:
    """An attachment is readable by whoever may read its follow-up or outcome."""
    # scope: fetched by id, then authorised below (its outcome, follow-up or published program)
    row = _get(Attachment._base_manager.all(), pk)
    if row.outcome_id:
        visible = Outcome.objects.visible_to(actor).filter(pk=row.outcome_id)
        # scope: a published outcome is shown to whoever sees its program, checked next
        published = Outcome._base_manager.filter(pk=row.outcome_id, published_at__isnull=False)
        shown = published.first()
        if not visible.exists() and not (
            shown is not None and _sees_program(actor, shown.program_id)
        ):
            raise NotFound()
    elif not FollowUp.objects.visible_to(actor).filter(pk=row.follow_up_id).exists():
        raise NotFound()
    return row


def _sees_program(actor: "User", program_id) -> bool:
    return Program.objects.visible_to(actor).filter(pk=program_id).exists()


# --- graduation and certificates -------------------------------------------------------------


def get_certificate_for(actor: "User", pk) -> Certificate:
    return _get(Certificate.objects.visible_to(actor).select_related("program", "cadre"), pk)


def my_certificates(actor: "User") -> list[Certificate]:
    if not policies.is_trainee(actor):
        return []
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    return list(
        Certificate.objects.visible_to(actor)
        .filter(cadre_id=actor.cadre_id, revoked_at__isnull=True)
        .select_related("program")
        .order_by("-issued_at")
    )


def my_trainee_rows(actor: "User") -> list[ProgramTrainee]:
    return programs.my_trainee_rows(actor)


def certificate_by_code(raw: str) -> Certificate | None:
    """The public verification: anyone holding the code. Unknown codes are simply None."""
    code = normalize_code(raw)
    if not code:
        return None
    # scope: the public check answers whoever holds the code, with a masked name only
    return Certificate._base_manager.filter(code=code).first()


def program_certificates(program) -> QuerySet[Certificate]:
    return children_of(program, Certificate, "program").select_related("cadre__unit")


def contact_units(actor: "User", programs) -> QuerySet[Org]:
    """Units of a unit contact's subtree with trainees in the given programs."""
    # scope: cut by hand to the contact's subtree, in programs the caller listed for them
    trainees = ProgramTrainee._base_manager.filter(
        program__in=programs, cadre__unit__path__startswith=_org_path(actor)
    )
    # scope: units of those trainees, all inside the contact's subtree
    return Org._base_manager.filter(pk__in=trainees.values("cadre__unit_id")).order_by("path")


def contact_trainees(actor: "User", programs) -> QuerySet[Cadre]:
    # scope: cut by hand to the contact's subtree, in programs the caller listed for them
    trainees = ProgramTrainee._base_manager.filter(
        program__in=programs, cadre__unit__path__startswith=_org_path(actor)
    )
    return (
        # scope: those trainees, all inside the contact's subtree
        Cadre._base_manager.filter(pk__in=trainees.values("cadre_id"))
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def outcomes_to_review(actor: "User") -> QuerySet[Outcome]:
    """Outcomes waiting for this organizer, across the programs they run, oldest first."""
    if not policies.can_see_summary(actor):
        return Outcome.objects.visible_to(actor).none()
    qs = Outcome.objects.visible_to(actor).filter(
        status=Outcome.Status.SUBMITTED, program__org__path__startswith=_org_path(actor)
    )
    return _outcome_details(qs).order_by("submitted_at", "id")
