"""Field follow-ups (一线调研) and the follow-up sample. One transaction each, audited."""

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.scoping import children_of
from ganxun.orgs.models import Cadre, Org
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import FollowUp, FollowUpSample, SampleMember
from ganxun.outcomes.sampling import stratified_sample
from ganxun.outcomes.services.common import (
    clean_text,
    discard,
    record,
    require_manager,
    store_attachments,
)
from ganxun.programs.models import ProgramTrainee

if TYPE_CHECKING:
    from ganxun.accounts.models import User


@dataclass
class FollowUpData:
    visited_on: date
    visitors: str
    applied: str
    rating: int
    unit: Org | None = None
    cadres: list[Cadre] = field(default_factory=list)
    note: str = ""


def _validate(program, data: FollowUpData) -> FollowUpData:
    data.visitors = clean_text(data.visitors, field="visitors", label=_("调研人员"), max_length=200)
    data.applied = clean_text(
        data.applied, field="applied", label=_("学以致用情况"), max_length=5000
    )
    data.note = clean_text(
        data.note, field="note", label=_("备注"), required=False, max_length=2000
    )
    if not isinstance(data.rating, int) or not 1 <= data.rating <= 5:
        raise OutcomeError("invalid_rating", _("应用评分应为 1 到 5 的整数。"), field="rating")
    if data.visited_on > timezone.localdate():
        raise OutcomeError("future_visit", _("调研日期不能晚于今天。"), field="visited_on")
    if data.visited_on < program.start_date:
        raise OutcomeError(
            "visit_before_program",
            _("调研日期不能早于项目开始日期（%(start_date)s）。")
            % {"start_date": program.start_date},
            field="visited_on",
        )
    if data.unit is None and not data.cadres:
        raise OutcomeError("nobody_seen", _("请选择走访的学员或单位（至少一项）。"), field="cadres")
    trainees = children_of(program, ProgramTrainee, "program")
    cadre_ids = {c.pk for c in data.cadres}
    enrolled = set(trainees.filter(cadre_id__in=cadre_ids).values_list("cadre_id", flat=True))
    if enrolled != cadre_ids:
        raise OutcomeError(
            "not_a_trainee", _("所选人员中有不是本项目学员的，请重新选择。"), field="cadres"
        )
    if data.unit is not None:
        units = trainees.filter(cadre__unit__path__startswith=data.unit.path)
        if not units.exists():
            raise OutcomeError(
                "unit_without_trainees", _("所选单位没有本项目的学员。"), field="unit"
            )
    return data


@transaction.atomic
def followup_create(*, actor: "User", program, data: FollowUpData, uploads=()) -> FollowUp:
    require_manager(actor, program)
    data = _validate(program, data)
    stored: list[str] = []
    try:
        followup = FollowUp.objects.create(
            program=program,
            visited_on=data.visited_on,
            visitors=data.visitors,
            unit=data.unit,
            applied=data.applied,
            rating=data.rating,
            note=data.note,
            created_by=actor,
        )
        FollowUp.cadres.through.objects.bulk_create(
            FollowUp.cadres.through(followup_id=followup.pk, cadre_id=c.pk) for c in data.cadres
        )
        attachments = store_attachments(actor, list(uploads), stored, follow_up=followup)
        record(
            actor,
            "create",
            followup,
            {},
            {
                "visited_on": data.visited_on.isoformat(),
                "unit": str(data.unit or ""),
                "cadres": sorted(c.name for c in data.cadres),
                "rating": data.rating,
                "attachments": [a.file_name for a in attachments],
            },
        )
    except Exception:
        discard(stored)
        raise
    return followup


def parse_share(raw) -> Decimal:
    try:
        share = Decimal(str(raw).strip().rstrip("%"))
    except (InvalidOperation, ValueError) as exc:
        raise OutcomeError(
            "invalid_share", _("抽样比例应是 1 到 100 之间的百分数。"), field="share"
        ) from exc
    if share > 1:
        share = share / 100  # "10" means 10 %
    if not Decimal("0.01") <= share <= 1:
        raise OutcomeError("invalid_share", _("抽样比例应是 1% 到 100% 之间。"), field="share")
    return share.quantize(Decimal("0.001"))


@transaction.atomic
def sample_create(*, actor: "User", program, share, seed: int | None = None) -> FollowUpSample:
    """Draw a stratified sample of the program's trainees (see ``sampling``)."""
    require_manager(actor, program)
    share = parse_share(share)
    if seed is None:
        seed = secrets.randbelow(1_000_000)
    pairs = list(
        children_of(program, ProgramTrainee, "program").values_list("cadre_id", "cadre__unit_id")
    )
    if not pairs:
        raise OutcomeError("no_trainees", _("本项目还没有学员，无法抽样。"))
    chosen = stratified_sample(pairs, share, seed)
    sample = FollowUpSample.objects.create(
        program=program, share=share, seed=seed, created_by=actor
    )
    SampleMember.objects.bulk_create(
        SampleMember(sample=sample, cadre_id=cid, unit_id=uid) for cid, uid in chosen
    )
    record(actor, "create", sample, {}, {"share": str(share), "seed": seed, "members": len(chosen)})
    return sample
