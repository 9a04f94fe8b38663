"""Three-party consultation (三方研议) before class, and trainees' progress through a unit's
closed loop."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.catalog.models import Lecturer, Material
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.programs import policies
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import (
    STEP_KINDS,
    Consultation,
    Expectation,
    ProgramTrainee,
    ProgramUnit,
    Session,
    StepRecord,
)
from ganxun.programs.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_manager,
    set_links,
)
from ganxun.programs.services.outlines import session_lecturers

if TYPE_CHECKING:
    from ganxun.accounts.models import User

CONSULTATION_FIELDS = ["held_on", "organizer", "lecturer", "direction", "adjustments"]
MAX_REPRESENTATIVES = 10


@dataclass
class ConsultationData:
    held_on: date
    lecturer: Lecturer | None = None
    representatives: list[ProgramTrainee] = field(default_factory=list)
    direction: str = ""
    adjustments: str = ""


@transaction.atomic
def consultation_save(*, actor: "User", session: Session, data: ConsultationData) -> Consultation:
    """The organizer records the meeting: who came, the lecturer's direction, what changed."""
    require_manager(actor, session.program)
    if data.lecturer is not None and data.lecturer not in session_lecturers(session):
        raise ProgramError("not_session_lecturer", _("请选择本课次的授课教师。"), field="lecturer")
    if len(data.representatives) > MAX_REPRESENTATIVES:
        raise ProgramError(
            "too_many_representatives",
            _("学员代表最多 %(max_representatives)s 人。")
            % {"max_representatives": MAX_REPRESENTATIVES},
            field="representatives",
        )
    if any(r.program_id != session.program_id for r in data.representatives):
        raise ProgramError(
            "not_enrolled", _("学员代表须从本项目的学员中选择。"), field="representatives"
        )
    if data.held_on > timezone.localdate(session.starts_at):
        raise ProgramError("after_class", _("三方研议应在上课之前进行。"), field="held_on")
    direction = clean_text(data.direction, field="direction", label=_("教学方向"), required=False)
    adjustments = clean_text(data.adjustments, field="adjustments", label=_("调整"), required=False)
    existing = Consultation._base_manager.filter(session=session).first()
    before = full_snapshot(existing, CONSULTATION_FIELDS, ("representatives",)) if existing else {}
    consultation = existing or Consultation(session=session, organizer=actor)
    consultation.held_on, consultation.lecturer = data.held_on, data.lecturer
    consultation.direction, consultation.adjustments = direction, adjustments
    if existing is None:
        consultation.organizer = actor
    consultation.save()
    set_links(consultation, "representatives", data.representatives)
    after = full_snapshot(consultation, CONSULTATION_FIELDS, ("representatives",))
    record(actor, "update" if existing else "create", consultation, before, after)
    return consultation


def representative_for(actor: "User", session: Session) -> ProgramTrainee | None:
    """The actor's own trainee row if they represent the trainees of this session."""
    if not policies.is_trainee(actor):
        return None
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    through = Consultation.representatives.through.objects.filter(
        consultation__session=session, programtrainee__cadre_id=actor.cadre_id
    ).select_related("programtrainee")
    row = through.first()
    return row.programtrainee if row else None


@transaction.atomic
def expectation_submit(*, actor: "User", session: Session, text: str) -> Expectation:
    """A representative sends the trainees' expectations from a phone, before the meeting."""
    rep = representative_for(actor, session)
    if rep is None:
        raise PermissionDenied()
    consultation = Consultation._base_manager.get(session=session)
    if timezone.localdate() > consultation.held_on:
        raise ProgramError("meeting_over", _("研议已经开过，不能再提交学习期望。"), field="text")
    text = clean_text(text, field="text", label=_("学习期望"), max_length=2000)
    expectation, created = children_of(consultation, Expectation, "consultation").update_or_create(
        consultation=consultation, representative=rep, defaults={"text": text}
    )
    record(actor, "create" if created else "update", expectation, {}, {"text": text})
    return expectation


# --- progress through the closed loop --------------------------------------------------------


def _own_trainee(actor: "User", unit: ProgramUnit) -> ProgramTrainee:
    if not policies.is_trainee(actor):
        raise PermissionDenied()
    assert actor.cadre_id is not None  # is_trainee requires a cadre
    row = ProgramTrainee._base_manager.filter(program_id=unit.program_id, cadre_id=actor.cadre_id)
    trainee = row.first()
    if trainee is None:
        raise PermissionDenied()
    return trainee


@transaction.atomic
def step_mark(
    *,
    actor: "User",
    unit: ProgramUnit,
    kind: str,
    material: Material | None = None,
    done: bool = True,
    text: str = "",
) -> None:
    """A trainee ticks a book read or a video course studied, or files the unit's outcome
    summary (学用成果总结) by its due date."""
    trainee = _own_trainee(actor, unit)
    kinds = {s["kind"] for s in unit.program.steps}
    if kind not in kinds or kind == "sessions":
        raise ProgramError("invalid_step", _("该步骤不需要手工登记。"))
    if kind in ("reading", "online"):
        # no material (None) lists nothing and is refused below; the stubs reject None
        listed = unit.materials.through.objects.filter(
            programunit_id=unit.pk,
            material_id=getattr(material, "pk", None),  # type: ignore[misc]
        )
        if material is None or not listed.exists():
            raise ProgramError("invalid_material", _("请选择本单元书目中的资料。"))
    if kind == "summary":
        if unit.summary_due and timezone.localdate() > unit.summary_due:
            raise ProgramError(
                "summary_late",
                _("学用成果总结已于 %(summary_due)s 截止提交。")
                % {"summary_due": unit.summary_due},
                field="text",
            )
        text = clean_text(text, field="text", label=_("学用成果总结"), max_length=5000)
        material, done = None, True
    rows = children_of(trainee, StepRecord, "trainee").filter(
        unit=unit, kind=kind, material=material
    )
    if not done:
        rows.delete()
    else:
        rows.update_or_create(
            trainee=trainee, unit=unit, kind=kind, material=material, defaults={"text": text}
        )
    record(
        actor,
        "update",
        trainee,
        {},
        {"step": f"{unit} {STEP_KINDS[kind]}", "done": done, "material": str(material or "")},
    )
