from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.orgs.errors import OrgError
from ganxun.orgs.idcard import mask_id_number
from ganxun.orgs.models import Cadre, CadreCategory, Org, PersonnelCategory, RankTitle
from ganxun.orgs.selectors import CadreFilters, get_org_for
from ganxun.orgs.services import CadreData


class OrgChoiceField(forms.ModelChoiceField):
    """A unit pick list that shows the tree by indenting each org by its depth."""

    def label_from_instance(self, obj):
        return f"{'　' * obj.depth}{obj.name}（{obj.code}）"


class OrgForm(StyledForm):
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=Org.Level.choices)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)


class CategoryForm(StyledForm):
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=50)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0)


class RankTitleForm(StyledForm):
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("职级名称"), max_length=30)
    system = forms.ChoiceField(label=_("职级体系"), choices=RankTitle.System.choices)
    level = forms.ChoiceField(
        label=_("对应层次"),
        choices=[("", _("（无法对应）")), *Cadre.Rank.choices],
        required=False,
        help_text=_("学时要求、达标、调训对象和统计按此层次计算。"),
    )
    synonyms = forms.CharField(
        label=_("其他写法"), max_length=500, required=False, help_text=_("用顿号分隔。")
    )
    source = forms.CharField(label=_("依据"), max_length=300, required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)


class PersonnelCategoryForm(StyledForm):
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=50)
    synonyms = forms.CharField(
        label=_("其他写法"), max_length=500, required=False, help_text=_("用顿号分隔。")
    )
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0)


class OrgMoveForm(StyledForm):
    new_parent = OrgChoiceField(label=_("移动到（新的上级）"), queryset=Org.objects.none())

    def __init__(self, *args, org_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = org_queryset
        use_picker(self.fields["new_parent"], "org")


class RankTitleField(forms.ModelChoiceField):
    """The correspondence table's ranks, each with its system and the level it counts as."""

    def label_from_instance(self, obj):
        level = obj.get_level_display() if obj.level else _("未能对应层次")
        return f"{obj.get_system_display()} · {obj.name}（{level}）"


class CadreForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", _("按身份证号")), *Cadre.Gender.choices], required=False
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则按身份证号填写。"),
    )
    unit = OrgChoiceField(label=_("单位"), queryset=Org.objects.none())
    position = forms.CharField(
        label=_("现任职务"),
        max_length=100,
        required=False,
        help_text=_("职务名称，如县长、镇党委书记；职级另填。"),
    )
    rank_title = RankTitleField(label=_("职级"), queryset=RankTitle.objects.all())
    personnel_category = forms.ModelChoiceField(
        label=_("人员类别"),
        queryset=PersonnelCategory.objects.all(),
        required=False,
        empty_label=_("（未填）"),
    )
    start = forms.DateField(
        label=_("任职时间"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("单位、职务、职级或人员类别变动时填写，记入任职经历；留空按今天。"),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=CadreCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leader_role = forms.ChoiceField(
        label=_("班子角色"), choices=Cadre.LeaderRole.choices, required=False
    )
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=Cadre.Status.choices, initial="active")
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, unit_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_queryset
        use_picker(self.fields["unit"], "org")

    def clean_id_number(self):
        # the edit page shows the number masked (a full one is shown on request, audited);
        # sent back unchanged, it means "keep the stored number"
        typed = self.cleaned_data["id_number"].strip()
        stored = self.initial.get("_id_number")
        if stored and typed == mask_id_number(stored):
            return stored
        return typed

    def to_data(self) -> CadreData:
        d = self.cleaned_data
        return CadreData(
            name=d["name"],
            id_number=d["id_number"],
            unit=d["unit"],
            rank="",
            rank_title=d["rank_title"],
            personnel_category=d["personnel_category"],
            start=d["start"],
            gender=d["gender"] or "",
            birth_date=d["birth_date"],
            position=d["position"],
            leader_role=d["leader_role"] or "",
            phone=d["phone"].strip(),
            status=d["status"],
            note=d["note"],
            categories=list(d["categories"]),
        )

    @staticmethod
    def initial_for(cadre: Cadre) -> dict:
        return {
            "name": cadre.name,
            "id_number": cadre.id_number_masked,
            "_id_number": cadre.id_number,
            "gender": cadre.gender,
            "birth_date": cadre.birth_date,
            "unit": cadre.unit_id,
            "position": cadre.position,
            "rank_title": cadre.rank_title_id,
            "personnel_category": cadre.personnel_category_id,
            "categories": list(cadre.categories.all()),
            "leader_role": cadre.leader_role,
            "phone": cadre.phone,
            "status": cadre.status,
            "note": cadre.note,
        }


class CadreFilterForm(StyledForm):
    """The roster filter. An invalid value is an error, never "no filter": the page lists nobody
    and says why, the export and the bulk-account job refuse (issue 25, item 10)."""

    q = forms.CharField(
        label=_("姓名或身份证后4位"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("姓名或身份证后4位"), "type": "search"}),
    )
    unit = forms.IntegerField(label=_("单位"), required=False, widget=forms.HiddenInput)
    rank = forms.ChoiceField(
        label=_("职级"), choices=[("", _("全部职级")), *Cadre.Rank.choices], required=False
    )
    personnel_category = forms.ModelChoiceField(
        label=_("人员类别"),
        queryset=PersonnelCategory.objects.all(),
        required=False,
        empty_label=_("全部人员类别"),
    )
    rank_title = forms.ModelChoiceField(
        label=_("具体职级"),
        queryset=RankTitle.objects.all(),
        required=False,
        empty_label=_("全部具体职级"),
    )
    category = forms.ModelChoiceField(
        label=_("标签"),
        queryset=CadreCategory.objects.all(),
        required=False,
        empty_label=_("全部标签"),
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Cadre.Status.choices], required=False
    )
    leader_role = forms.ChoiceField(
        label=_("班子角色"),
        choices=[("", _("全部"))] + [c for c in Cadre.LeaderRole.choices if c[0]],
        required=False,
    )
    account = forms.ChoiceField(
        label=_("学员账号"),
        choices=[
            ("", _("学员账号不限")),
            ("none", _("未开通学员账号")),
            ("yes", _("已开通学员账号")),
        ],
        required=False,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_unit(self):
        # a unit that is missing or out of scope is "not found" (404), as everywhere else
        pk = self.cleaned_data.get("unit")
        return None if pk is None else get_org_for(self.actor, pk)

    def filters(self) -> CadreFilters:
        d = self.cleaned_data
        return CadreFilters(
            q=d["q"],
            unit=d["unit"],
            rank=d["rank"],
            category=d["category"],
            status=d["status"],
            leader_role=d["leader_role"],
            personnel_category=d["personnel_category"],
            rank_title=d["rank_title"],
            account=d["account"],
        )

    def error_summary(self) -> str:
        return "；".join(
            f"{self.fields[name].label if name in self.fields else ''}：{'、'.join(errors)}"
            for name, errors in self.errors.items()
        )


class UnitPickForm(forms.Form):
    """The roster's unit filter as a picker (the filter itself is read by CadreFilterForm)."""

    unit = OrgChoiceField(label=_("单位"), queryset=Org.objects.none(), required=False)

    def __init__(self, *args, actor, unit=None, **kwargs):
        super().__init__(*args, initial={"unit": unit.pk if unit else None}, **kwargs)
        self.fields["unit"].queryset = Org.objects.visible_to(actor)
        use_picker(self.fields["unit"], "org")


class InvalidFilter(OrgError):
    """A roster filter value the form refused: nothing is listed, exported or opened."""


def cadre_filters(actor, data) -> CadreFilters:
    """Roster filters from a query string: the page, the export and the bulk-account job all read
    them here. Raises InvalidFilter (code ``invalid_filter``) for any value it cannot apply."""
    form = CadreFilterForm(data, actor=actor)
    if not form.is_valid():
        raise InvalidFilter(
            "invalid_filter",
            _("筛选条件无效（%(errors)s），请修改后重试。") % {"errors": form.error_summary()},
        )
    return form.filters()


FILTER_KEYS = ("q", "unit", "rank", "category", "status", "leader_role")
FILTER_KEYS += ("personnel_category", "rank_title", "account")


def filter_params(data) -> dict:
    return {key: data.get(key, "") for key in FILTER_KEYS if data.get(key)}
