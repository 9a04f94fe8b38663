from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm


class DeskSearchForm(StyledForm):
    q = forms.CharField(
        label=_("姓名或身份证号后 4 位"),
        max_length=50,
        required=False,
        widget=forms.TextInput({"autofocus": True, "placeholder": _("如：张三 或 123X")}),
    )


class ManualForm(StyledForm):
    cadre = forms.IntegerField(widget=forms.HiddenInput)
    arrived = forms.TimeField(
        label=_("到达时间"),
        required=False,
        help_text=_("留空为现在；课后补录时留空按准时到达记录。"),
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
    )


class CheckoutForm(StyledForm):
    cadre = forms.IntegerField(widget=forms.HiddenInput)


class SheetForm(StyledForm):
    text = forms.CharField(
        label=_("签到表名单"),
        max_length=60_000,
        widget=forms.Textarea(
            {"rows": 12, "placeholder": _("每行一人：姓名、身份证号或身份证号后 4 位")}
        ),
        help_text=_("从扫描件识别或手工录入的名单，每行一人。先预览核对，再确认录入。"),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
