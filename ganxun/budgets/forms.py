"""Forms of the budget pages. Amounts stay text until the service parses them as Decimal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.budgets.models import ExpenseCategory, IncomeSource
from ganxun.budgets.services import BudgetData, ExpenseData, IncomeData
from ganxun.core.forms import StyledForm

DATE = {"type": "date"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def amount_field(label) -> forms.CharField:
    # Text, not FloatField: the service turns it into Decimal and says what is wrong with it.
    return forms.CharField(
        label=label, max_length=20, widget=forms.TextInput({"inputmode": "decimal"})
    )


class BudgetForm(StyledForm):
    title = forms.CharField(label=_("预算名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = amount_field(_("预算金额（元）"))
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def to_data(self, program=None) -> BudgetData:
        d = self.cleaned_data
        return BudgetData(
            title=d["title"], year=d["year"], amount=d["amount"], note=d["note"], program=program
        )


class IncomeForm(StyledForm):
    source = forms.ChoiceField(label=_("来源"), choices=IncomeSource.choices)
    amount = amount_field(_("金额（元）"))
    date = forms.DateField(label=_("到账日期"), widget=date_input(), initial=timezone.localdate)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def to_data(self) -> IncomeData:
        d = self.cleaned_data
        return IncomeData(source=d["source"], amount=d["amount"], date=d["date"], note=d["note"])


class ExpenseForm(StyledForm):
    category = forms.ChoiceField(label=_("支出类别"), choices=ExpenseCategory.choices)
    amount = amount_field(_("金额（元）"))
    date = forms.DateField(label=_("支出日期"), widget=date_input(), initial=timezone.localdate)
    payee = forms.CharField(label=_("收款方"), max_length=200)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=50)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    file = forms.FileField(
        label=_("附件（发票、凭证照片）"),
        required=False,
        help_text=_("PDF、图片、Word 或 Excel，20 MB 以内。"),
    )

    def to_data(self) -> ExpenseData:
        d = self.cleaned_data
        return ExpenseData(
            category=d["category"],
            amount=d["amount"],
            date=d["date"],
            payee=d["payee"],
            voucher_no=d["voucher_no"],
            note=d["note"],
        )
