"""Outcome reports (学用成果): submit, revise, review (accept / return with a note), publish.
One transaction each, audited; the submitter hears of a decision in their inbox."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, refetch
from ganxun.messaging import outbox
from ganxun.messaging.outbox import To
from ganxun.orgs.models import Cadre, Org
from ganxun.outcomes import policies
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Outcome, OutcomeReview
from ganxun.outcomes.services.common import (
    clean_text,
    discard,
    record,
    require_manager,
    store_attachments,
)
from ganxun.programs.models import Program, ProgramTrainee

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MAX_EFFECT = Decimal("999999999999")
FIELDS = ["title", "kind", "change", "effect_value", "effect_unit", "effect_note", "unit"]


@dataclass
class OutcomeData:
    program: Program
    title: str
    kind: str
    change: str
    unit: Org | None = None
    effect_value: Decimal | str | None = None
    effect_unit: str = ""
    effect_note: str = ""
    cadres: list[Cadre] = field(default_factory=list)


def parse_effect(value) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise OutcomeError(
            "invalid_effect", _("成效数值应是数字，如 10 或 3.5。"), field="effect_value"
        ) from exc
    if not number.is_finite() or number < 0 or number > MAX_EFFECT:
        raise OutcomeError(
            "invalid_effect",
            _("成效数值应是不小于 0 的数字（不超过一万亿）。"),
            field="effect_value",
        )
    return number.quantize(Decimal("0.01"))


def _clean(data: OutcomeData) -> OutcomeData:
    data.title = clean_text(data.title, field="title", label=_("成果名称"), max_length=200)
    if data.kind not in Outcome.Kind.values:
        raise OutcomeError("invalid_kind", _("请选择成果类型。"), field="kind")
    data.change = clean_text(data.change, field="change", label=_("带来的变化"), max_length=5000)
    data.effect_value = parse_effect(data.effect_value)
    data.effect_unit = clean_text(
        data.effect_unit, field="effect_unit", label=_("计量单位"), required=False, max_length=20
    )
    data.effect_note = clean_text(
        data.effect_note, field="effect_note", label=_("成效说明"), required=False, max_length=200
    )
    if data.effect_value is not None and not data.effect_unit:
        raise OutcomeError(
            "effect_unit_missing",
            _("填写了成效数值，请同时填写计量单位（如 个、万元、件）。"),
            field="effect_unit",
        )
    if data.effect_unit and data.effect_value is None:
        raise OutcomeError(
            "effect_value_missing", _("填写了计量单位，请同时填写成效数值。"), field="effect_value"
        )
    return data


def _authorise(actor: "User", data: OutcomeData) -> OutcomeData:
    """A unit contact files for units of their subtree and its trainees; a trainee for
    themself, in a program they took part in."""
    trainees = children_of(data.program, ProgramTrainee, "program")
    if policies.is_unit_contact(actor):
        assert actor.org is not None  # is_unit_contact requires an org
        root = actor.org.path
        mine = trainees.filter(cadre__unit__path__startswith=root)
        if not mine.exists():
            raise OutcomeError("not_your_program", _("所选项目没有本单位的学员。"), field="program")
        if data.unit is None or not data.unit.path.startswith(root):
            raise OutcomeError("invalid_unit", _("请选择本单位或下属单位。"), field="unit")
        ids = {c.pk for c in data.cadres}
        found = set(mine.filter(cadre_id__in=ids).values_list("cadre_id", flat=True))
        if found != ids:
            raise OutcomeError(
                "not_a_trainee", _("相关学员须是本单位参加该项目的学员。"), field="cadres"
            )
        return data
    if policies.is_trainee(actor):
        assert actor.cadre_id is not None  # is_trainee requires a cadre
        if not trainees.filter(cadre_id=actor.cadre_id).exists():
            raise OutcomeError("not_your_program", _("您不是该项目的学员。"), field="program")
        # scope: the actor's own roster record, to name them on their own outcome
        cadre = Cadre._base_manager.select_related("unit").get(pk=actor.cadre_id)
        data.unit, data.cadres = cadre.unit, [cadre]
        return data
    raise PermissionDenied()


def _snapshot(outcome: Outcome) -> dict:
    snap = {name: getattr(outcome, name) for name in FIELDS}
    snap["unit"] = str(outcome.unit)
    snap["effect_value"] = str(outcome.effect_value) if outcome.effect_value is not None else None
    return snap


@transaction.atomic
def outcome_submit(*, actor: "User", data: OutcomeData, uploads=()) -> Outcome:
    data = _authorise(actor, _clean(data))
    assert data.unit is not None  # _authorise checks or sets it
    stored: list[str] = []
    try:
        outcome = Outcome.objects.create(
            program=data.program,
            unit=data.unit,
            title=data.title,
            kind=data.kind,
            change=data.change,
            effect_value=data.effect_value,
            effect_unit=data.effect_unit,
            effect_note=data.effect_note,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        Outcome.cadres.through.objects.bulk_create(
            Outcome.cadres.through(outcome_id=outcome.pk, cadre_id=c.pk) for c in data.cadres
        )
        attachments = store_attachments(actor, list(uploads), stored, outcome=outcome)
        after = _snapshot(outcome) | {"attachments": [a.file_name for a in attachments]}
        record(actor, "create", outcome, {}, after)
    except Exception:
        discard(stored)
        raise
    return outcome


@transaction.atomic
def outcome_revise(*, actor: "User", outcome: Outcome, data: OutcomeData, uploads=()) -> Outcome:
    """The submitter corrects a pending or returned outcome; it goes back to review."""
    outcome = refetch(outcome, lock=True)
    if not policies.can_revise(actor, outcome):
        if outcome.submitted_by_id != actor.pk:
            raise PermissionDenied()
        raise OutcomeError("not_revisable", _("成果已采纳，不能再修改。"))
    data.program = outcome.program
    data = _authorise(actor, _clean(data))
    before = _snapshot(outcome)
    for name in FIELDS:
        setattr(outcome, name, getattr(data, name))
    outcome.status = Outcome.Status.SUBMITTED
    outcome.revision += 1
    outcome.submitted_at = timezone.now()
    stored: list[str] = []
    try:
        outcome.save()
        Outcome.cadres.through.objects.filter(outcome_id=outcome.pk).delete()
        Outcome.cadres.through.objects.bulk_create(
            Outcome.cadres.through(outcome_id=outcome.pk, cadre_id=c.pk) for c in data.cadres
        )
        attachments = store_attachments(actor, list(uploads), stored, outcome=outcome)
        after = _snapshot(outcome) | {"attachments": [a.file_name for a in attachments]}
        record(actor, "update", outcome, before | {"attachments": []}, after)
    except Exception:
        discard(stored)
        raise
    return outcome


@transaction.atomic
def outcome_review(*, actor: "User", outcome: Outcome, decision: str, note: str = "") -> Outcome:
    outcome = refetch(outcome, lock=True, related=("program",))
    require_manager(actor, outcome.program)
    if outcome.status != Outcome.Status.SUBMITTED:
        raise OutcomeError("not_pending", _("该成果不在待审核状态（可能已被审核或已退回）。"))
    if decision not in (Outcome.Status.ACCEPTED, Outcome.Status.RETURNED):
        raise OutcomeError("invalid_decision", _("请选择“采纳”或“退回”。"), field="decision")
    note = clean_text(note, field="note", label=_("审核意见"), required=False, max_length=500)
    if decision == Outcome.Status.RETURNED and not note:
        raise OutcomeError("note_required", _("退回时请写明修改意见。"), field="note")
    outcome.status, outcome.review_note, outcome.reviewed_at = decision, note, timezone.now()
    outcome.save(update_fields=["status", "review_note", "reviewed_at"])
    OutcomeReview.objects.create(outcome=outcome, decision=decision, note=note, decided_by=actor)
    record(actor, "update", outcome, {"status": "submitted"}, {"status": decision, "note": note})
    verdict = "已被采纳" if decision == Outcome.Status.ACCEPTED else "被退回，请修改后重新提交"
    outbox.send(
        kind="outcome_review",
        to=[To.user(outcome.submitted_by)],
        context={"outcome": outcome.title, "verdict": verdict, "note": note},
        url=reverse("outcomes:detail", args=[outcome.pk]),
        program_id=outcome.program_id,
        org_id=outcome.program.org_id,
        sender=actor,
    )
    return outcome


@transaction.atomic
def outcome_publish(*, actor: "User", outcome: Outcome, publish: bool = True) -> Outcome:
    outcome = refetch(outcome, lock=True, related=("program",))
    require_manager(actor, outcome.program)
    if publish and outcome.status != Outcome.Status.ACCEPTED:
        raise OutcomeError("not_accepted", _("只有已采纳的成果才能展示。"))
    before = {"published": outcome.is_published}
    outcome.published_at = timezone.now() if publish else None
    outcome.save(update_fields=["published_at"])
    record(actor, "update", outcome, before, {"published": outcome.is_published})
    return outcome
