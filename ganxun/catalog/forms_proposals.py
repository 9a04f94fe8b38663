"""Forms for calls, proposals, rounds and reviews."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.selectors import users_visible_to
from ganxun.catalog import selectors
from ganxun.catalog.models import Proposal, TeachingForm
from ganxun.catalog.services import ProposalData
from ganxun.catalog.services.proposals import REVIEWER_ROLES
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.orgs.forms import OrgChoiceField
from ganxun.orgs.models import Org
from ganxun.orgs.selectors import org_choices


class ReviewerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.org.name}）"


class CallForm(StyledForm):
    title = forms.CharField(
        label=_("征集名称"),
        max_length=200,
        widget=forms.TextInput({"placeholder": _("如：周末知行学堂 专业课程征集")}),
    )
    guidance = forms.CharField(
        label=_("征集说明"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("写明主题方向、课时要求、提交内容等，申报单位会看到。"),
    )
    deadline = forms.DateField(
        label=_("申报截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    reviewers = ReviewerField(
        label=_("评审人"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本级及下级的审核领导、教务组织者。"),
    )
    target_units = forms.ModelMultipleChoiceField(
        label=_("征集单位"),
        queryset=None,
        required=False,
        help_text=_("选定后只有这些单位的联络员可以申报，并会收到通知；留空表示所有下级单位。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        root = actor.org
        units = self.fields["target_units"]
        units.queryset = (
            Org.objects.visible_to(actor).filter(path__startswith=root.path).exclude(pk=root.pk)
            if root is not None
            else Org.objects.none()
        )
        use_picker(units, "org", within=str(root.pk) if root is not None else "")
        self.fields["reviewers"].queryset = (
            users_visible_to(actor)
            .filter(is_active=True, role_grants__role__in=REVIEWER_ROLES)
            .select_related("org")
            .distinct()
            .order_by("org__path", "username")
        )


class ProposalForm(StyledForm):
    unit = OrgChoiceField(label=_("申报单位"), queryset=None)
    title = forms.CharField(label=_("课程名称"), max_length=200)
    lecturer = forms.ModelChoiceField(
        label=_("主讲人（从师资库选择）"),
        queryset=None,
        required=False,
        empty_label=_("（不在师资库中，在下方填写）"),
    )
    lecturer_name = forms.CharField(
        label=_("主讲人姓名"),
        max_length=50,
        required=False,
        help_text=_("从师资库选择时可不填。"),
    )
    lecturer_title = forms.CharField(label=_("主讲人职务"), max_length=100, required=False)
    theme = forms.ModelChoiceField(
        label=_("专题"), queryset=None, required=False, empty_label=_("（未定）")
    )
    form = forms.ChoiceField(label=_("教学形式"), choices=TeachingForm.choices)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=200, decimal_places=1)
    outline = forms.CharField(
        label=_("授课提纲"),
        widget=forms.Textarea({"rows": 8}),
        help_text=_("列出主要章节与要点。"),
    )
    needs = forms.CharField(
        label=_("针对的需求"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("这门课回应干部的哪些培训需求、能力短板。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = org_choices(actor)
        self.fields["lecturer"].queryset = selectors.lecturer_choices(actor)
        self.fields["theme"].queryset = selectors.themes_for(actor)
        self.fields["lecturer"].label_from_instance = lambda lec: (
            f"{lec.name}（{lec.affiliation}）" if lec.affiliation else lec.name
        )
        use_picker(self.fields["unit"], "org")
        use_picker(self.fields["lecturer"], "lecturer")
        self.initial.setdefault("unit", actor.org_id)
        self.initial.setdefault("hours", 3)

    def to_data(self) -> ProposalData:
        d = self.cleaned_data
        return ProposalData(
            unit=d["unit"],
            title=d["title"],
            outline=d["outline"],
            lecturer=d["lecturer"],
            lecturer_name=d["lecturer_name"],
            lecturer_title=d["lecturer_title"],
            needs=d["needs"],
            theme=d["theme"],
            form=d["form"],
            hours=d["hours"],
        )

    @staticmethod
    def initial_for(p: Proposal) -> dict:
        return {
            "unit": p.unit_id,
            "title": p.title,
            "lecturer": p.lecturer_id,
            "lecturer_name": p.lecturer_name,
            "lecturer_title": p.lecturer_title,
            "theme": p.theme_id,
            "form": p.form,
            "hours": p.hours,
            "outline": p.outline,
            "needs": p.needs,
        }


class RoundForm(StyledForm):
    name = forms.CharField(
        label=_("轮次名称"),
        max_length=50,
        widget=forms.TextInput({"list": "round-names", "placeholder": _("初选、复选、定稿…")}),
    )


class ReviewForm(StyledForm):
    score = forms.IntegerField(
        label=_("评分（0–100）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )
    comment = forms.CharField(
        label=_("评审意见"), max_length=500, required=False, widget=forms.Textarea({"rows": 2})
    )
