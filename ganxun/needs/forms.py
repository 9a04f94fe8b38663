from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.needs.analysis import DIMENSIONS
from ganxun.needs.curation import MAX_K
from ganxun.needs.models import AgeBand, NeedTopic
from ganxun.needs.services import BLANK
from ganxun.needs.targeting import Targeting
from ganxun.orgs.forms import OrgChoiceField
from ganxun.orgs.models import Cadre, CadreCategory, Org, PersonnelCategory
from ganxun.surveys.forms import DATETIME

TEMPLATE_CHOICES = [
    ("needs_default", _("培训需求调研模板（想学什么、能力短板、培训方式、师资、时间、具体需求）")),
    (BLANK, _("空白问卷")),
]


class SurveyCreateForm(StyledForm):
    org = OrgChoiceField(label=_("发起单位"), queryset=Org.objects.none())
    title = forms.CharField(
        label=_("标题"), max_length=200, required=False, help_text=_("使用模板时可留空。")
    )
    template = forms.ChoiceField(
        label=_("从哪里开始"),
        choices=TEMPLATE_CHOICES,
        widget=forms.RadioSelect,
        initial="needs_default",
    )

    def __init__(self, *args, org_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_queryset
        use_picker(self.fields["org"], "org")

    def clean(self):
        data = super().clean()
        if data.get("template") == BLANK and not (data.get("title") or "").strip():
            self.add_error("title", _("空白问卷请填写标题。"))
        return data


class OpenForm(StyledForm):
    closes_at = forms.DateTimeField(
        label=_("截止时间"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("截止后个人链接失效。留空则手动结束。"),
    )


class TargetingForm(StyledForm):
    units = forms.ModelMultipleChoiceField(
        label=_("单位（含下级）"),
        queryset=Org.objects.none(),
        required=False,
        help_text=_("不选则为发起单位的全部下级。"),
    )
    ranks = forms.MultipleChoiceField(
        label=_("职级"),
        choices=Cadre.Rank.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    personnel_categories = forms.ModelMultipleChoiceField(
        label=_("人员类别"),
        queryset=PersonnelCategory.objects.order_by("sort", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=CadreCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_bands = forms.MultipleChoiceField(
        label=_("年龄段"),
        choices=AgeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leader_roles = forms.MultipleChoiceField(
        label=_("班子角色"),
        choices=[(v or "none", label) for v, label in Cadre.LeaderRole.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, unit_queryset, within: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = unit_queryset
        self.fields["units"].label_from_instance = lambda org: org.indented_name
        use_picker(self.fields["units"], "org", within=within)

    def to_targeting(self) -> Targeting:
        d = self.cleaned_data
        return Targeting(
            units=list(d["units"]),
            ranks=d["ranks"],
            category_ids=[c.pk for c in d["categories"]],
            personnel_category_ids=[c.pk for c in d["personnel_categories"]],
            age_bands=d["age_bands"],
            leader_roles=["" if r == "none" else r for r in d["leader_roles"]],
        )


class CrosstabForm(StyledForm):
    question = forms.TypedChoiceField(label=_("题目"), coerce=int)
    dim = forms.ChoiceField(label=_("分组"), choices=[(d.code, d.label) for d in DIMENSIONS])

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.pk, q.text) for q in questions]


class ClusterStartForm(StyledForm):
    question = forms.TypedChoiceField(label=_("文字题"), coerce=int)
    k = forms.IntegerField(
        label=_("类别数"),
        required=False,
        min_value=1,
        max_value=MAX_K,
        help_text=_("留空则自动确定（推荐）。"),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.pk, q.text) for q in questions]


class LabelForm(StyledForm):
    label = forms.CharField(label=_("名称"), max_length=60)


class TopicForm(StyledForm):
    code = forms.SlugField(label=_("编码"), max_length=40, help_text=_("英文字母、数字、下划线"))
    name = forms.CharField(label=_("名称"), max_length=60)
    keywords = forms.CharField(
        label=_("关键词"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("每行一个，或用逗号分隔"),
    )
    synonyms = forms.CharField(
        label=_("同义说法"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("口语、简称等其他说法"),
    )
    examples = forms.CharField(
        label=_("例句"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("每行一句典型需求表述"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    position = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    @staticmethod
    def initial_for(topic: NeedTopic) -> dict:
        return {
            f: getattr(topic, f)
            for f in ("code", "name", "keywords", "synonyms", "examples", "is_active", "position")
        }
