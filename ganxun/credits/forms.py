from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm, StyledFormMixin
from ganxun.credits.models import Channel, CreditSettings, Requirement
from ganxun.credits.services import EntryData
from ganxun.orgs.models import Cadre

PLATFORMS = ("中国干部网络学院", "浙江干部网络学院", "宁波干部网络学院")


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, _("%(year)s 年") % {"year": y}) for y in range(this, this - 10, -1)]


class YearForm(StyledForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    rank = forms.ChoiceField(label=_("职级"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].widget.attrs["data-autosubmit"] = "1"
        self.fields["rank"].choices = [("", _("全部职级")), *Cadre.Rank.choices]
        self.fields["rank"].widget.attrs["data-autosubmit"] = "1"

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year

    def chosen_rank(self) -> str:
        return self.cleaned_data.get("rank", "") if self.is_valid() else ""


class EntryForm(StyledForm):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.TypedChoiceField(label=_("渠道"), coerce=int, choices=Channel.choices)
    title = forms.CharField(label=_("内容"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1)
    reason = forms.CharField(
        label=_("登记依据"), max_length=300, help_text=_("如：学习通知文号、证明材料")
    )

    def to_data(self, cadre) -> EntryData:
        d = self.cleaned_data
        return EntryData(
            cadre=cadre,
            day=d["day"],
            hours=d["hours"],
            channel=d["channel"],
            title=d["title"],
            reason=d["reason"],
        )


class ReverseForm(StyledForm):
    reason = forms.CharField(
        label=_("冲销原因"), max_length=300, help_text=_("必填：记入台账，所有人可见。")
    )


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("学习记录文件"),
        help_text=_(
            "干部网络学院导出的 Excel（.xlsx、.xls）或 CSV；须有身份证号、课程、学时、"
            "完成日期、记录号五列。"
        ),
    )
    platform = forms.CharField(label=_("平台"), max_length=50, initial=PLATFORMS[0])


class RequirementForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    ranks = forms.MultipleChoiceField(
        label=_("适用职级"), choices=Cadre.Rank.choices, widget=forms.CheckboxSelectMultiple
    )
    period = forms.ChoiceField(label=_("周期"), choices=Requirement.Period.choices)
    amount = forms.DecimalField(
        label=_("要求数量"), max_digits=6, decimal_places=1, min_value=Decimal("0.5")
    )
    unit = forms.ChoiceField(label=_("单位"), choices=Requirement.Unit.choices)
    channels = forms.TypedMultipleChoiceField(
        label=_("计入的渠道（不选则全部计入）"),
        coerce=int,
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cap_channel = forms.TypedChoiceField(
        label=_("限额渠道"),
        coerce=int,
        empty_value=None,
        choices=[("", _("无")), *Channel.choices],
        required=False,
    )
    cap_percent = forms.IntegerField(
        label=_("该渠道最多计入（占要求的百分比）"), min_value=0, max_value=100, required=False
    )
    source = forms.CharField(label=_("依据（文件与条款）"), max_length=300)
    source_url = forms.URLField(label=_("依据链接"), required=False, assume_scheme="https")
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    sort = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, initial=0)

    @classmethod
    def for_requirement(cls, req: Requirement | None, data=None):
        initial = {}
        if req is not None:
            caps = req.caps or {}
            channel, share = next(iter(caps.items()), (None, None))
            initial = {
                "name": req.name,
                "ranks": req.ranks,
                "period": req.period,
                "amount": req.amount,
                "unit": req.unit,
                "channels": req.channels,
                "cap_channel": channel,
                "cap_percent": round(float(share) * 100) if share is not None else None,
                "source": req.source,
                "source_url": req.source_url,
                "is_active": req.is_active,
                "sort": req.sort,
            }
        return cls(data, initial=initial)

    def to_data(self) -> dict:
        d = dict(self.cleaned_data)
        channel, percent = d.pop("cap_channel"), d.pop("cap_percent")
        d["caps"] = {str(channel): percent / 100} if channel and percent is not None else {}
        d["channels"] = list(d["channels"])
        return d


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CreditSettings
        fields = [
            "minutes_per_hour",
            "hours_per_day",
            "late_rule",
            "forfeit_after_minutes",
            "teaching_factor",
        ]


class BonusForm(StyledForm):
    bonus_hours = forms.DecimalField(
        label=_("结业奖励学时"), max_digits=5, decimal_places=1, min_value=0, max_value=200
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
