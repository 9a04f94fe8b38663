"""Budgets (经费预算): one per program or per org and year, income by source, expenses by
category. Money is ``Decimal`` with two places everywhere, never float."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedChild, ScopedManager, subtree_q

MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")
BUDGET_ROLES = (Role.ADMIN, Role.ORGANIZER)


class IncomeSource(models.TextChoices):
    """财政拨一点、党费出一点、部门自筹一点 (Tongyu), and whatever else comes in."""

    FISCAL = "fiscal", _("财政拨款")
    PARTY_DUES = "party_dues", _("党费")
    SELF_RAISED = "self_raised", _("部门自筹")
    OTHER = "other", _("其他")


class ExpenseCategory(models.TextChoices):
    LECTURER = "lecturer", _("师资/讲课费")
    VENUE = "venue", _("场地")
    MATERIALS = "materials", _("教材资料")
    TRAVEL = "travel", _("交通食宿")
    SITE = "site", _("现场教学")
    OTHER = "other", _("其他")


class Budget(models.Model):
    """A program's budget, or an org's annual training budget when ``program`` is empty."""

    class Status(models.TextChoices):
        OPEN = "open", _("执行中")
        CLOSED = "closed", _("已结账")

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("培训项目"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    amount = models.DecimalField(_("预算金额（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(_("结账时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-year", "org__path", "title", "id"]
        verbose_name = _("经费预算")
        indexes = [models.Index(fields=["year", "org"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
            # One budget per program: its income and spending are read in one place.
            models.UniqueConstraint(
                fields=["program"], condition=Q(program__isnull=False), name="uniq_program_budget"
            ),
        ]

    def __str__(self):
        return _("%(year)s年 %(title)s") % {"year": self.year, "title": self.title}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "org", allowed=actor.has_role(*BUDGET_ROLES))

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Income(ScopedChild):
    scope_parent = "budget"  # visible exactly when its parent is
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="incomes")
    source = models.CharField(_("来源"), max_length=12, choices=IncomeSource.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    date = models.DateField(_("到账日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("经费收入")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="income_amount_positive")
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}"


def voucher_upload_to(instance, filename: str) -> str:
    """A random name keeps attachments unguessable and free of the uploader's characters."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"budgets/vouchers/{uuid.uuid4().hex}{suffix}"


class Expense(models.Model):
    """One payment. ``org`` and ``year`` repeat the budget's so the database itself keeps a
    voucher number unique within an org and year, even for two entries saved at once."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="expenses")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    category = models.CharField(_("支出类别"), max_length=12, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    date = models.DateField(_("支出日期"))
    payee = models.CharField(_("收款方"), max_length=200)
    voucher_no = models.CharField(_("凭证号"), max_length=50)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    file = models.FileField(_("附件"), upload_to=voucher_upload_to, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("经费支出")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.UniqueConstraint(
                fields=["org", "year", "voucher_no"], name="uniq_expense_voucher"
            ),
        ]

    def __str__(self):
        return f"{self.voucher_no} {self.payee} {self.amount}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        return subtree_q(actor, "org", allowed=actor.has_role(*BUDGET_ROLES))
