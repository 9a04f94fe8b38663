"""Forms of enrollment: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import TeachingForm
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.enrollment.models import Quota
from ganxun.orgs.models import Cadre, CadreCategory, Org


class QuotaForm(StyledForm):
    org = forms.ModelChoiceField(label=gettext_lazy("单位"), queryset=Org.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Quota.Kind.choices)
    batch = forms.TypedChoiceField(
        label=gettext_lazy("批次"), coerce=int, empty_value=None, required=False
    )
    seats = forms.IntegerField(label=gettext_lazy("名额"), min_value=0, max_value=10000)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, actor, program, **kwargs):
        super().__init__(*args, **kwargs)
        # Units below the program's org, down to townships and departments (villages rarely
        # get quotas and would make the list unusable).
        root = program.org
        self.fields["org"].queryset = (
            Org.objects.visible_to(actor)
            .filter(path__startswith=root.path, is_active=True, depth__lte=root.depth + 2)
            .order_by("path")
        )
        self.fields["org"].label_from_instance = lambda o: o.indented_name
        use_picker(self.fields["org"], "org", within=str(root.pk))
        self.fields["batch"].choices = [("", _("不分批"))] + [
            (b, f"第{b}批") for b in program.batch_numbers()
        ]


class NominateForm(StyledForm):
    cadre = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("推荐说明"), max_length=200, required=False)


class ReturnForm(StyledForm):
    note = forms.CharField(
        label=gettext_lazy("退回理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RulesForm(StyledForm):
    per_program = forms.IntegerField(
        label=gettext_lazy("本项目每人最多选（门）"), min_value=1, max_value=100, required=False
    )
    per_year = forms.IntegerField(
        label=gettext_lazy("每人每年最多选（门，本单位组织的所有项目）"),
        min_value=1,
        max_value=100,
        required=False,
    )


class MenuFilterForm(StyledForm):
    theme = forms.ChoiceField(label=gettext_lazy("专题"), required=False)
    form = forms.ChoiceField(
        label=gettext_lazy("教学形式"),
        required=False,
        choices=[("", gettext_lazy("全部形式")), *TeachingForm.choices],
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "全部专题")] + [(str(t.pk), t.name) for t in themes]
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


class LeaveForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("请假事由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("审批"),
        choices=[("approve", gettext_lazy("同意")), ("refuse", gettext_lazy("不同意"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("意见（不同意时必填）"), max_length=300, required=False
    )


class EligibilityGroupForm(StyledForm):
    """One invited group: every kind chosen narrows, values of one kind widen."""

    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("单位（含下级）"), queryset=Org.objects.none(), required=False
    )
    ranks = forms.MultipleChoiceField(
        label=gettext_lazy("职级"),
        choices=Cadre.Rank.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label=gettext_lazy("人员类别"),
        queryset=CadreCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leader_roles = forms.MultipleChoiceField(
        label=gettext_lazy("领导职务"),
        choices=[c for c in Cadre.LeaderRole.choices if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=gettext_lazy("最低年龄"), required=False)
    max_age = forms.IntegerField(label=gettext_lazy("最高年龄"), required=False)

    def __init__(self, *args, actor, program, **kwargs):
        super().__init__(*args, **kwargs)
        root = program.org
        self.fields["units"].queryset = (
            Org.objects.visible_to(actor)
            .filter(path__startswith=root.path, is_active=True, depth__lte=root.depth + 2)
            .order_by("path")
        )
        self.fields["units"].label_from_instance = lambda o: o.indented_name
        use_picker(self.fields["units"], "org", within=str(root.pk))


EligibilityFormSet = forms.formset_factory(
    EligibilityGroupForm, extra=1, can_delete=True, max_num=10, validate_max=True
)


class QuotaBulkForm(StyledForm):
    """批量分配名额: the same number to each chosen unit, or a total in proportion to cadres.
    Numbers are checked by the service (its Chinese message lands beside the field)."""

    orgs = forms.ModelMultipleChoiceField(
        label=_("单位"), queryset=Org.objects.none(), required=False
    )
    mode = forms.ChoiceField(
        label=_("分配方式"),
        choices=[
            ("each", _("给所选单位每个 N 名")),
            ("proportional", _("按在职干部人数比例分配共 M 名")),
        ],
        initial="each",
        widget=forms.RadioSelect,
    )
    number = forms.IntegerField(label=_("名额数（N 或 M）"), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=Quota.Kind.choices)
    batch = forms.TypedChoiceField(label=_("批次"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, actor, program, **kwargs):
        super().__init__(*args, **kwargs)
        root = program.org
        units = self.fields["orgs"]
        units.queryset = Org.objects.visible_to(actor).filter(
            path__startswith=root.path, is_active=True
        )
        use_picker(units, "org", within=str(root.pk))
        self.fields["batch"].choices = [("", _("不分批"))] + [
            (b, _("第%(batch)s批") % {"batch": b}) for b in program.batch_numbers()
        ]
