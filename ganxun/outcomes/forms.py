"""Forms of the outcomes pages. Choices are cut to what the actor may see; the services check
everything again (a forged POST gets the same refusal as the form)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.outcomes import policies, selectors
from ganxun.outcomes.files import MAX_FILES
from ganxun.outcomes.models import GraduationRule, Outcome
from ganxun.outcomes.services import FollowUpData, OutcomeData, RuleData

DATE = {"type": "date"}
RATINGS = [(i, str(i)) for i in range(1, 6)]
FILES_HELP = _("照片、PDF、Word、Excel 或 PPT，每个不超过 20 MB，最多 5 个。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("最多上传 %(max_files)s 个附件。") % {"max_files": MAX_FILES}
            )
        return files


def cadre_label(cadre) -> str:
    return f"{cadre.name}（{cadre.unit.name}）"


class CadreChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return cadre_label(obj)


class FollowUpForm(StyledForm):
    visited_on = forms.DateField(label=_("调研日期"), widget=forms.DateInput(DATE, "%Y-%m-%d"))
    visitors = forms.CharField(
        label=_("调研人员"), max_length=200, help_text=_("如：市委组织部干部教育科 张三、李四")
    )
    cadres = CadreChoiceField(
        label=_("走访学员"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
        help_text=_("可多选（按住 Ctrl 键）；只能选择本项目的学员。"),
    )
    unit = forms.ModelChoiceField(label=_("走访单位"), queryset=None, required=False)
    applied = forms.CharField(
        label=_("学以致用情况"), max_length=5000, widget=forms.Textarea({"rows": 4})
    )
    rating = forms.TypedChoiceField(
        label=_("应用评分（1 差 – 5 优）"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("应用评分应为 1 到 5 的整数。")},
    )
    note = forms.CharField(
        label=_("备注"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2})
    )
    files = MultipleFileField(label=_("佐证材料"), help_text=FILES_HELP)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = selectors.trainee_cadres(program)
        self.fields["unit"].queryset = selectors.trainee_units(program)
        self.fields["visited_on"].initial = timezone.localdate()

    def to_data(self) -> FollowUpData:
        d = self.cleaned_data
        return FollowUpData(
            visited_on=d["visited_on"],
            visitors=d["visitors"],
            applied=d["applied"],
            rating=d["rating"],
            unit=d["unit"],
            cadres=list(d["cadres"]),
            note=d["note"],
        )


class SampleForm(StyledForm):
    share = forms.DecimalField(
        label=_("抽样比例（%）"), min_value=Decimal(1), max_value=Decimal(100), initial=10
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        min_value=0,
        max_value=999_999,
        required=False,
        help_text=_("留空则随机；同一种子和学员名单总是得到同样的样本。"),
    )


class ProgramChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class OutcomeForm(StyledForm):
    program = ProgramChoice(label=_("培训项目"), queryset=None)
    title = forms.CharField(label=_("成果名称"), max_length=200)
    kind = forms.ChoiceField(label=_("成果类型"), choices=Outcome.Kind.choices)
    change = forms.CharField(
        label=_("带来的变化"),
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("学了什么、用在哪里、工作有了什么改变。"),
    )
    effect_value = forms.CharField(
        label=_("成效数值"),
        max_length=20,
        required=False,
        widget=forms.TextInput({"inputmode": "decimal"}),
        help_text=_("可量化的成效，如 10（个项目）、35（万元）。"),
    )
    effect_unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    effect_note = forms.CharField(label=_("成效说明"), max_length=200, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)
    cadres = CadreChoiceField(
        label=_("相关学员"), queryset=None, required=False, widget=forms.SelectMultiple({"size": 6})
    )
    files = MultipleFileField(label=_("佐证材料"), help_text=FILES_HELP)

    def __init__(self, *args, actor, outcome=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = policies.is_unit_contact(actor)
        programs = selectors.programs_for_submitter(actor)
        self.fields["program"].queryset = programs
        if outcome is not None:  # the program of a filed outcome does not change
            del self.fields["program"]
        if self.contact:
            self.fields["unit"].required = True
            self.fields["unit"].queryset = selectors.contact_units(actor, programs)
            self.fields["cadres"].queryset = selectors.contact_trainees(actor, programs)
        else:
            del self.fields["unit"], self.fields["cadres"]

    def to_data(self, program=None) -> OutcomeData:
        d = self.cleaned_data
        return OutcomeData(
            program=program or d["program"],
            title=d["title"],
            kind=d["kind"],
            change=d["change"],
            unit=d.get("unit"),
            effect_value=d["effect_value"],
            effect_unit=d["effect_unit"],
            effect_note=d["effect_note"],
            cadres=list(d.get("cadres") or []),
        )


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[(Outcome.Status.ACCEPTED, _("采纳")), (Outcome.Status.RETURNED, _("退回修改"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审核意见"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )


PERCENT = {"min_value": 0, "max_value": 100, "required": False}


class RuleForm(StyledForm):
    min_attendance = forms.IntegerField(
        label=_("最低出勤率（%）"),
        help_text=_("按已开课的应到课次计；经批准的请假既不算出勤也不算缺勤。留空为不要求。"),
        **PERCENT,
    )
    min_forms_count = forms.IntegerField(
        label=_("课堂评价最少份数"), min_value=0, max_value=500, required=False
    )
    min_forms_share = forms.IntegerField(
        label=_("课堂评价填写率（%）"), help_text=_("已上课次中填写了评价表的比例。"), **PERCENT
    )
    require_tests = forms.BooleanField(label=_("须通过全部后测"), required=False)
    outcome = forms.ChoiceField(
        label=_("学用成果"), choices=GraduationRule.OutcomeNeed.choices, required=False
    )
    issuer = forms.CharField(label=_("证书颁发单位"), max_length=100)

    @classmethod
    def initial_for(cls, rule, program) -> dict:
        if rule is None:
            return {"issuer": program.org.name, "min_attendance": 80}

        def pct(v):
            return None if v is None else round(v * 100)

        return {
            "min_attendance": pct(rule.min_attendance),
            "min_forms_count": rule.min_forms_count,
            "min_forms_share": pct(rule.min_forms_share),
            "require_tests": rule.require_tests,
            "outcome": rule.outcome,
            "issuer": rule.issuer,
        }

    def to_data(self) -> RuleData:
        d = self.cleaned_data

        def share(v):
            return None if v is None else Decimal(v) / 100

        return RuleData(
            issuer=d["issuer"],
            min_attendance=share(d["min_attendance"]),
            min_forms_share=share(d["min_forms_share"]),
            min_forms_count=d["min_forms_count"],
            require_tests=d["require_tests"],
            outcome=d["outcome"] or "",
        )


class RevokeForm(StyledForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=300)


class VerifyForm(StyledForm):
    code = forms.CharField(label=_("证书验证码"), max_length=40)
