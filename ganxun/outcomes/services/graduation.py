"""Graduation: the program's criteria, confirming graduates (bulk) with a certificate each, and
revoking a certificate. One transaction each, audited."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.core.scoping import children_of, refetch
from ganxun.credits.selectors import program_hours
from ganxun.credits.services import credit_program_bonus
from ganxun.messaging import outbox
from ganxun.messaging.outbox import To
from ganxun.outcomes import progress
from ganxun.outcomes.errors import OutcomeError
from ganxun.outcomes.models import Certificate, GraduationRule
from ganxun.outcomes.models.graduation import new_code
from ganxun.outcomes.services.common import clean_text, record, require_manager

RULE_FIELDS = [
    "min_attendance",
    "min_forms_share",
    "min_forms_count",
    "require_tests",
    "outcome",
    "issuer",
]


@dataclass
class RuleData:
    issuer: str
    min_attendance: Decimal | None = None
    min_forms_share: Decimal | None = None
    min_forms_count: int | None = None
    require_tests: bool = False
    outcome: str = ""


def _share(value, field: str, label: str) -> Decimal | None:
    if value is None:
        return None
    value = Decimal(str(value))
    if value > 1:
        value = value / 100  # 80 means 80 %
    if not Decimal(0) <= value <= 1:
        raise OutcomeError(
            "invalid_share", _("%(label)s应在 0%% 到 100%% 之间。") % {"label": label}, field=field
        )
    return value.quantize(Decimal("0.001"))


def rule_for(program) -> GraduationRule | None:
    return children_of(program, GraduationRule, "program").first()


@transaction.atomic
def rule_save(*, actor: User, program, data: RuleData) -> GraduationRule:
    require_manager(actor, program)
    data.issuer = clean_text(data.issuer, field="issuer", label=_("颁发单位"), max_length=100)
    data.min_attendance = _share(data.min_attendance, "min_attendance", _("最低出勤率"))
    data.min_forms_share = _share(data.min_forms_share, "min_forms_share", _("评价表最低填写率"))
    if data.min_forms_count is not None and not 0 <= data.min_forms_count <= 500:
        raise OutcomeError(
            "invalid_count", _("评价表最少份数应在 0 到 500 之间。"), field="min_forms_count"
        )
    if data.outcome not in GraduationRule.OutcomeNeed.values:
        raise OutcomeError("invalid_outcome_need", _("学用成果要求无效。"), field="outcome")
    rule = children_of(program, GraduationRule, "program").select_for_update().first()
    before = _rule_snapshot(rule) if rule else {}
    rule = rule or GraduationRule(program=program)
    for name in RULE_FIELDS:
        setattr(rule, name, getattr(data, name))
    rule.updated_by = actor
    rule.save()
    record(actor, "update" if before else "create", rule, before, _rule_snapshot(rule))
    return rule


def _rule_snapshot(rule: GraduationRule) -> dict:
    return {n: str(getattr(rule, n)) if getattr(rule, n) is not None else None for n in RULE_FIELDS}


@dataclass
class GraduationResult:
    issued: list[Certificate]
    skipped: list[str]  # "姓名：原因", for the organizer's message


@transaction.atomic
def graduates_confirm(
    *, actor: User, program, cadre_ids, early_reason: str = ""
) -> GraduationResult:
    """Issue a certificate to each named trainee who meets every criterion; the others are
    listed with the reason, and nothing is issued for them. Only once the program's last
    session has ended — before that only as an explicit early graduation with a reason
    (audited; the certificate then ends on the day of issue and says so)."""
    require_manager(actor, program)
    rule = rule_for(program)
    if rule is None:
        raise OutcomeError("no_rule", _("请先设置本项目的结业条件。"))
    now = timezone.now()
    early_reason = (early_reason or "").strip()
    if progress.program_over(program, now):
        early_reason = ""
    elif not early_reason:
        last = timezone.localtime(progress.last_session_end(program))
        raise OutcomeError(
            "not_finished",
            _("本项目最后一次课 %(last)s 结束后才能确认结业；确需提前结业的，请填写提前结业原因。")
            % {"last": dateformat.format(last, _("Y年n月j日 H:i"))},
            field="early_reason",
        )
    else:
        early_reason = clean_text(
            early_reason, field="early_reason", label=_("提前结业原因"), max_length=300
        )
    ids = sorted({int(c) for c in cadre_ids})
    if not ids:
        raise OutcomeError("none_selected", _("请勾选要确认结业的学员。"))
    trainees = progress.trainees_of(program, ids)
    if len(trainees) != len(ids):
        raise OutcomeError("not_a_trainee", _("所选人员中有不是本项目学员的，未做任何处理。"))
    rows = progress.program_progress(program, rule, trainees)
    ready, skipped = [], []
    for row in rows:
        cadre = row.trainee.cadre
        if row.graduated:
            skipped.append(_("%(name)s：已结业") % {"name": cadre.name})
        elif not row.ready:
            left = _("；").join(c.left for c in row.criteria if not c.met)
            skipped.append(f"{cadre.name}：{left}")
        else:
            ready.append(cadre)
    hours = program_hours(program, [c.pk for c in ready])
    issued = _issue_all(actor, program, rule, ready, now, hours, early_reason)
    for cert in issued:
        after = {"cadre": cert.name, "code": cert.code, "hours": str(cert.hours)}
        if early_reason:
            after["early_reason"] = early_reason
        record(actor, "create", cert, {}, after)
        # The program's graduation bonus hours, if credits configures one (idempotent there).
        credit_program_bonus(actor=actor, program=program, cadre=cert.cadre)
    accounts = User.objects.filter(cadre_id__in=[c.cadre_id for c in issued], is_active=True)
    outbox.send(
        kind="certificate",
        to=[To.user(u) for u in accounts],
        context={"program": program.full_name},
        url=reverse("outcomes:my"),
        program_id=program.pk,
        org_id=program.org_id,
        sender=actor,
    )
    return GraduationResult(issued, skipped)


def _certificate(actor: User, program, rule, cadre, now, hours, early_reason) -> Certificate:
    end = program.end_date
    if early_reason:
        end = min(end, timezone.localdate(now))
    return Certificate(
        program=program,
        cadre=cadre,
        code=new_code(),
        name=cadre.name,
        unit_name=cadre.unit.name,
        program_name=program.full_name,
        start_date=program.start_date,
        end_date=end,
        hours=hours.get(cadre.pk),
        early_reason=early_reason,
        issuer=rule.issuer,
        issued_by=actor,
        issued_at=now,
    )


def _issue_all(actor: User, program, rule, cadres, now, hours, early) -> list[Certificate]:
    """One INSERT for the whole class; row by row only if that hit a unique code or a
    certificate issued meanwhile by a concurrent confirmation."""
    try:
        with transaction.atomic():
            return Certificate.objects.bulk_create(
                [_certificate(actor, program, rule, c, now, hours, early) for c in cadres],
                batch_size=500,
            )
    except IntegrityError:
        return [_issue(actor, program, rule, cadre, now, hours, early) for cadre in cadres]


def _issue(actor: User, program, rule, cadre, now, hours, early) -> Certificate:
    for _attempt in range(5):  # a code collision is astronomically rare; retry anyway
        try:
            with transaction.atomic():
                cert = _certificate(actor, program, rule, cadre, now, hours, early)
                cert.save()
                return cert
        except IntegrityError:
            held = children_of(program, Certificate, "program")
            if held.filter(cadre=cadre, revoked_at__isnull=True).exists():
                raise OutcomeError(
                    "already_graduated", _("%(name)s已结业。") % {"name": cadre.name}
                ) from None
    raise OutcomeError("code_exhausted", _("生成证书验证码失败，请重试。"))


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    cert = refetch(certificate, lock=True, related=("program",))
    require_manager(actor, cert.program)
    if cert.is_revoked:
        raise OutcomeError("already_revoked", _("该证书已撤销。"))
    reason = clean_text(reason, field="reason", label=_("撤销原因"), max_length=300)
    cert.revoked_at, cert.revoked_by, cert.revoke_reason = timezone.now(), actor, reason
    cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(actor, "update", cert, {"revoked": False}, {"revoked": True, "reason": reason})
    return cert
