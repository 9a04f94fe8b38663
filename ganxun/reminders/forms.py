from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.reminders.switches import KINDS


class SettingForm(StyledForm):
    """One kind's switch and timing at one place (posted from a row of the settings table)."""

    kind = forms.ChoiceField(choices=[(k, k) for k in KINDS])
    enabled = forms.BooleanField(label=_("开启"), required=False)
    value = forms.IntegerField(label=_("时间"), required=False, min_value=0, max_value=999)
    dates = forms.CharField(label=_("提醒日期"), required=False, max_length=100)
    reset = forms.BooleanField(required=False)
