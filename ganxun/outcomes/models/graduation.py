"""Graduation (结业): a program's criteria, and the certificates issued to its graduates."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedManager
from ganxun.outcomes.models.common import managed_programs_q


class GraduationRule(models.Model):
    """What a trainee of ``program`` must achieve to graduate. A blank criterion is not
    required. One row per program (a settings row beside the program, owned by this app)."""

    class OutcomeNeed(models.TextChoices):
        NONE = "", _("不要求")
        SUBMITTED = "submitted", _("已提交（待审核或已采纳）")
        ACCEPTED = "accepted", _("已采纳")

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="+", verbose_name=_("培训项目")
    )
    min_attendance = models.DecimalField(
        _("最低出勤率"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    min_forms_share = models.DecimalField(
        _("评价表最低填写率"), max_digits=4, decimal_places=3, null=True, blank=True
    )
    min_forms_count = models.PositiveSmallIntegerField(_("评价表最少份数"), null=True, blank=True)
    require_tests = models.BooleanField(_("须通过测评"), default=False)
    outcome = models.CharField(
        _("学用成果"), max_length=10, choices=OutcomeNeed.choices, blank=True, default=""
    )
    issuer = models.CharField(_("颁发单位"), max_length=100)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("结业条件")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance__isnull=True)
                | Q(min_attendance__gte=0, min_attendance__lte=1),
                name="rule_attendance_share",
            ),
            models.CheckConstraint(
                condition=Q(min_forms_share__isnull=True)
                | Q(min_forms_share__gte=0, min_forms_share__lte=1),
                name="rule_forms_share",
            ),
        ]

    def __str__(self):
        return _("结业条件 · %(program)s") % {"program": self.program_id}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return managed_programs_q(actor)


CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed
CODE_LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """What a person typed or scanned (dashes, spaces, lower case) → the stored code."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:40]


class Certificate(models.Model):
    """A 结业证书. What it says is frozen when issued (name, program, dates, issuer): the public
    verification page shows what was printed, even if the roster changes later."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="+", verbose_name=_("培训项目")
    )
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    code = models.CharField(_("验证码"), max_length=CODE_LENGTH, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    unit_name = models.CharField(_("单位"), max_length=100)
    program_name = models.CharField(_("项目"), max_length=250)
    start_date = models.DateField()
    end_date = models.DateField()
    issuer = models.CharField(_("颁发单位"), max_length=100)
    # 学时 earned in the program (the ledger's figure at issue, graduation bonus included).
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    # Filled when the organizer graduated the trainee before the last session ended; the
    # certificate then ends on the day of issue, not on the program's last day.
    early_reason = models.CharField(_("提前结业原因"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("颁发时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["program", "name", "id"]
        verbose_name = _("结业证书")
        constraints = [
            # One valid certificate per trainee and program; a revoked one may be reissued.
            models.UniqueConstraint(
                fields=["program", "cadre"],
                condition=Q(revoked_at__isnull=True),
                name="uniq_valid_certificate",
            )
        ]

    def __str__(self):
        return f"{self.name} · {self.program_name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @classmethod
    def scope_q(cls, actor) -> Q:
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        q = managed_programs_q(actor)
        if actor.cadre_id and actor.has_role(Role.TRAINEE):
            q |= Q(cadre_id=actor.cadre_id)
        return q


def mask_name(name: str) -> str:
    """陈晓明 → 陈*明, 王五 → 王*, 欧阳小明 → 欧**明: enough to recognise, not to harvest."""
    name = str(name or "")
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
