"""Income and expense entries. Each is refused on a closed budget; amounts are positive yuan."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ganxun.budgets.errors import BudgetError
from ganxun.budgets.models import (
    Budget,
    Expense,
    ExpenseCategory,
    Income,
    IncomeSource,
    voucher_upload_to,
)
from ganxun.budgets.services.budgets import locked
from ganxun.budgets.services.common import (
    clean_text,
    money,
    record,
    require_manager,
    require_open,
)
from ganxun.catalog import files
from ganxun.core.audit import snapshot
from ganxun.core.scoping import children_of

if TYPE_CHECKING:
    from ganxun.accounts.models import User

MAX_ATTACHMENT_BYTES = 20 * files.MB
ATTACHMENT_TYPES = files.DOCUMENT_TYPES | {"image"}
INCOME_FIELDS = ["source", "amount", "date", "note"]
EXPENSE_FIELDS = ["category", "amount", "date", "payee", "voucher_no", "note", "file_name"]


@dataclass
class IncomeData:
    source: str
    amount: object
    date: date
    note: str = ""


@dataclass
class ExpenseData:
    category: str
    amount: object
    date: date
    payee: str
    voucher_no: str
    note: str = ""


@dataclass(frozen=True)
class Saved:
    """What a user should hear after saving an expense: the row and any warning."""

    expense: Expense
    warning: str = ""


@transaction.atomic
def income_add(*, actor: "User", budget: Budget, data: IncomeData) -> Income:
    budget = locked(budget)
    require_manager(actor, budget)
    require_open(budget, _("登记收入"))
    if data.source not in IncomeSource.values:
        raise BudgetError("invalid_source", _("请选择经费来源。"), field="source")
    income = Income(
        budget=budget,
        source=data.source,
        amount=money(data.amount, field="amount", label=_("收入金额")),
        date=data.date,
        note=clean_text(data.note, field="note", label=_("说明"), required=False, max_length=300),
        created_by=actor,
    )
    income.save()
    record(actor, "create", income, {}, snapshot(income, INCOME_FIELDS))
    return income


@transaction.atomic
def income_delete(*, actor: "User", income: Income) -> None:
    budget = locked(income.budget)
    require_manager(actor, budget)
    require_open(budget, _("删除收入"))
    record(actor, "delete", income, snapshot(income, INCOME_FIELDS), {})
    income.delete()


def check_attachment(upload) -> files.Sniffed:
    """The type comes from the content, not the name: PDF, Office files or a photo of the
    voucher."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        message = files.too_large_message(upload.size, MAX_ATTACHMENT_BYTES)
        raise BudgetError("file_too_large", message, field="file")
    if upload.size == 0:
        raise BudgetError(
            "empty_file", _("文件是空的（0 字节），请检查是否选错了文件。"), field="file"
        )
    upload.seek(0)
    head = upload.read(64)
    found = files.sniff(head, upload)
    upload.seek(0)
    if found and found.content_type == "image":  # the catalog only needs to know "a picture"
        kind = "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
        return files.Sniffed(kind, found.label, False)
    if not (found and found.content_type in ATTACHMENT_TYPES):
        what = _("识别为%(kind)s") % {"kind": found.label} if found else _("无法识别其格式")
        raise BudgetError(
            "unsupported_file",
            _("该文件%(what)s；凭证附件请上传 PDF、图片（JPG/PNG）、Word 或 Excel。")
            % {"what": what},
            field="file",
        )
    return found


def _clean_expense(data: ExpenseData) -> ExpenseData:
    if data.category not in ExpenseCategory.values:
        raise BudgetError("invalid_category", _("请选择支出类别。"), field="category")
    data.amount = money(data.amount, field="amount", label=_("支出金额"))
    data.payee = clean_text(data.payee, field="payee", label=_("收款方"), max_length=200)
    data.voucher_no = clean_text(
        data.voucher_no, field="voucher_no", label=_("凭证号"), max_length=50
    )
    data.note = clean_text(data.note, field="note", label=_("说明"), required=False, max_length=300)
    return data


def _duplicate(budget: Budget, voucher_no: str) -> BudgetError:
    return BudgetError(
        "duplicate_voucher",
        _("凭证号“%(voucher_no)s”在%(org)s%(year)s年度已登记过，请核对。")
        % {"voucher_no": voucher_no, "org": budget.org.name, "year": budget.year},
        field="voucher_no",
    )


@transaction.atomic
def expense_add(*, actor: "User", budget: Budget, data: ExpenseData, upload=None) -> Saved:
    budget = locked(budget)
    require_manager(actor, budget)
    require_open(budget, _("登记支出"))
    data = _clean_expense(data)
    # scope: a voucher number is unique per org and year, whoever entered the other expense
    taken = Expense._base_manager.filter(org=budget.org, year=budget.year)
    if taken.filter(voucher_no=data.voucher_no).exists():
        raise _duplicate(budget, data.voucher_no)
    sniffed = check_attachment(upload) if upload is not None else None
    expense = Expense(budget=budget, org=budget.org, year=budget.year, created_by=actor)
    for name in ("category", "amount", "date", "payee", "voucher_no", "note"):
        setattr(expense, name, getattr(data, name))
    if upload is not None:
        assert sniffed is not None  # checked with the upload above
        expense.file.name = default_storage.save(voucher_upload_to(expense, upload.name), upload)
        expense.file_name = upload.name[:200]
        expense.content_type = sniffed.content_type
        expense.size = upload.size
    try:
        # Another budget of the same org and year is not locked by us: the unique constraint
        # decides between two entries of one voucher number saved at the same moment.
        with transaction.atomic():
            expense.save()
    except IntegrityError as exc:
        if expense.file.name:  # the file is truthy by its name
            default_storage.delete(expense.file.name)
        raise _duplicate(budget, data.voucher_no) from exc
    record(actor, "create", expense, {}, snapshot(expense, EXPENSE_FIELDS))
    return Saved(expense, overspend_warning(budget))


def overspend_warning(budget: Budget) -> str:
    spent = spent_total(budget)
    if spent > budget.amount:
        over = spent - budget.amount
        return _("支出合计 %(spent)s 元，已超出预算 %(amount)s 元（超支 %(over)s 元）。") % {
            "spent": f"{spent:,.2f}",
            "amount": f"{budget.amount:,.2f}",
            "over": f"{over:,.2f}",
        }
    return ""


def spent_total(budget: Budget) -> Decimal:
    total = children_of(budget, Expense, "budget").aggregate(s=Sum("amount"))["s"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


@transaction.atomic
def expense_delete(*, actor: "User", expense: Expense) -> None:
    budget = locked(expense.budget)
    require_manager(actor, budget)
    require_open(budget, _("删除支出"))
    record(actor, "delete", expense, snapshot(expense, EXPENSE_FIELDS), {})
    # scope: the expense the caller holds (fetched with get_expense_for), its budget checked above
    Expense._base_manager.filter(pk=expense.pk).delete()
    if expense.file.name:  # the file is truthy by its name
        name = expense.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
