"""The period and node a report is asked for, from the query string."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.stats.period import Period

DATE = {"type": "date"}


class PeriodForm(StyledForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": _("年度应是四位数字，如 2030。")},
    )
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("开始日期应写成 2030-01-31 这样的格式。")},
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(DATE, format="%Y-%m-%d"),
        error_messages={"invalid": _("结束日期应写成 2030-01-31 这样的格式。")},
    )

    def clean(self):
        d = super().clean()
        start, end = d.get("start"), d.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("按日期区间统计时，请同时填写开始和结束日期。"))
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return d

    def period(self) -> Period:
        """A date range when both ends are given, else the year (this year by default)."""
        d = self.cleaned_data
        if d.get("start") and d.get("end"):
            return Period.between(d["start"], d["end"])
        return Period.of_year(d.get("year") or timezone.localdate().year)
