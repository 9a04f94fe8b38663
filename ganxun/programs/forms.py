"""Forms of the program pages. Choices are always cut to what the actor may see."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role, User
from ganxun.catalog import selectors as catalog
from ganxun.catalog.models import ProposalCall, lineage_ids
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.orgs.models import Cadre, CadreCategory
from ganxun.orgs.selectors import CadreFilters, org_choices
from ganxun.programs.batching import MAX_BATCHES
from ganxun.programs.models import STEP_KINDS, Channel, Program, Venue
from ganxun.programs.services import ProgramData, UnitData, VenueData

DATE = {"type": "date"}


def date_input() -> forms.DateInput:
    """An HTML date picker wants ISO dates whatever the page's language."""
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


def lecturer_label(lecturer) -> str:
    return f"{lecturer.name}（{lecturer.affiliation}）" if lecturer.affiliation else lecturer.name


def venue_label(venue) -> str:
    seats = _("，%(capacity)s 座") % {"capacity": venue.capacity} if venue.capacity else ""
    return f"{venue.name}（{venue.get_kind_display()}{seats}）"


def reviewer_choices(actor):
    """Reviewing leaders at the actor's org, above it, or below it."""
    root = actor.org
    near = Q(org_id__in=lineage_ids(root)) | Q(org__path__startswith=root.path)
    return (
        User.objects.filter(near, is_active=True, role_grants__role=Role.REVIEWER)
        .distinct()
        .order_by("display_name", "username")
    )


def _or_default(value, default):
    return default if value is None else value


class ProgramForm(StyledForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    brand = forms.CharField(
        label=_("培训品牌"),
        max_length=50,
        required=False,
        help_text=_("如：周末知行学堂、铁肩计划"),
    )
    cohort = forms.IntegerField(label=_("期数"), min_value=1, max_value=999, required=False)
    target_groups = forms.CharField(label=_("培训对象"), max_length=300, required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=date_input())
    end_date = forms.DateField(label=_("结束日期"), widget=date_input())
    goals = forms.CharField(label=_("培训目标"), required=False, widget=forms.Textarea({"rows": 3}))
    funding = forms.CharField(label=_("经费来源"), max_length=200, required=False)
    channel = forms.ChoiceField(
        label=_("培训方式"),
        choices=Channel.choices,
        initial=Channel.LOCAL,
        required=False,
        help_text=_("用于统计报表按培训方式汇总人次。"),
    )
    menu_call = forms.ModelChoiceField(
        label=_("课程菜单来源"),
        queryset=None,
        required=False,
        empty_label=_("（不从课程征集选课）"),
    )
    status = forms.ChoiceField(label=_("状态"), choices=Program.Status.choices)
    batch_count = forms.IntegerField(
        label=_("批次数"),
        min_value=1,
        max_value=MAX_BATCHES,
        initial=1,
        help_text=_("分批错时参训时填 2 或以上。"),
    )
    min_on_duty = forms.DecimalField(
        label=_("在岗比例"),
        min_value=0,
        max_value=0.99,
        decimal_places=2,
        initial=0.4,
        help_text=_("每批参训时，各单位至少保留这一比例的人员在岗，例如 0.4。"),
    )
    outline_days_before = forms.IntegerField(
        label=_("提纲提交截止（课前天数）"), min_value=0, max_value=60, initial=7
    )
    leave_limit = forms.DecimalField(
        label=_("请假上限（占总学时比例）"),
        min_value=0.001,
        max_value=1,
        decimal_places=3,
        initial=Decimal("0.143"),
        required=False,
        help_text=_("学员请假累计超过项目总学时的这一比例时提醒主办方，如 0.143 即 1/7。"),
    )
    leave_organizer_hours = forms.DecimalField(
        label=_("需主办方审批的请假时长（学时）"),
        min_value=0,
        max_value=999,
        decimal_places=1,
        initial=Decimal("4"),
        required=False,
        help_text=_("单次请假超过此学时，单位联络员同意后还须主办方审批。"),
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("提纲审核领导"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    main_venue = forms.ModelChoiceField(
        label=_("主课堂"), queryset=None, required=False, empty_label=_("（未定）")
    )
    sub_venues = forms.ModelMultipleChoiceField(
        label=_("视频分课堂"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["menu_call"].queryset = ProposalCall.objects.visible_to(actor).only(
            "id", "title"
        )
        self.fields["reviewers"].queryset = reviewer_choices(actor)
        venues = Venue.objects.visible_to(actor).filter(is_active=True)
        self.fields["main_venue"].queryset = venues
        self.fields["sub_venues"].queryset = venues.filter(kind=Venue.Kind.VIDEO)
        for name in ("main_venue", "sub_venues"):
            self.fields[name].label_from_instance = venue_label
        for kind, label in STEP_KINDS.items():
            self.fields[f"step_{kind}"] = forms.BooleanField(
                label=_("学习闭环：") + str(label), required=False, initial=True
            )
            self.fields[f"label_{kind}"] = forms.CharField(
                label=_("步骤名称"), max_length=30, required=False, initial=label
            )
            self.fields[f"label_{kind}"].widget.attrs.update(
                {"class": "form-control form-control-sm"}
            )

    @staticmethod
    def initial_for(program: Program, reviewers, sub_venue_ids) -> dict:
        initial = {
            name: getattr(program, name)
            for name in (
                "name",
                "brand",
                "cohort",
                "target_groups",
                "start_date",
                "end_date",
                "goals",
                "funding",
                "channel",
                "menu_call",
                "status",
                "batch_count",
                "min_on_duty",
                "outline_days_before",
                "leave_limit",
                "leave_organizer_hours",
                "main_venue",
            )
        }
        initial.update(reviewers=reviewers, sub_venues=list(sub_venue_ids))
        chosen = {s["kind"]: s["label"] for s in program.steps}
        for kind, label in STEP_KINDS.items():
            initial[f"step_{kind}"] = kind in chosen
            initial[f"label_{kind}"] = chosen.get(kind, label)
        return initial

    def to_data(self) -> ProgramData:
        d = self.cleaned_data
        steps = [
            {"kind": kind, "label": d.get(f"label_{kind}") or str(label)}
            for kind, label in STEP_KINDS.items()
            if d.get(f"step_{kind}")
        ]
        return ProgramData(
            name=d["name"],
            brand=d["brand"],
            cohort=d["cohort"],
            target_groups=d["target_groups"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            goals=d["goals"],
            funding=d["funding"],
            # Left blank (or an older client): the model's defaults.
            channel=d["channel"] or Channel.LOCAL,
            leave_limit=d["leave_limit"] or Decimal("0.143"),
            leave_organizer_hours=_or_default(d["leave_organizer_hours"], Decimal("4")),
            menu_call=d["menu_call"],
            status=d["status"],
            steps=steps,
            batch_count=d["batch_count"],
            min_on_duty=d["min_on_duty"],
            outline_days_before=d["outline_days_before"],
            reviewers=list(d["reviewers"]),
            main_venue=d["main_venue"],
            sub_venues=list(d["sub_venues"]),
        )


class UnitForm(StyledForm):
    seq = forms.IntegerField(label=_("序号"), min_value=1, max_value=99, required=False)
    title = forms.CharField(label=_("单元名称"), max_length=100)
    theme = forms.ModelChoiceField(
        label=_("专题"), queryset=None, required=False, empty_label=_("（不归入专题）")
    )
    start_date = forms.DateField(label=_("开始日期"), widget=date_input())
    end_date = forms.DateField(label=_("结束日期"), widget=date_input())
    summary_due = forms.DateField(label=_("学用成果提交截止"), required=False, widget=date_input())
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea({"rows": 2})
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("书目与自学课程（教材库）"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
        help_text=_("图书、案例、文件归入“研读”，视频课程归入“自学”。可多选（按住 Ctrl 或 ⌘）。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = catalog.theme_choices(actor)
        self.fields["materials"].queryset = catalog.material_choices(actor)
        self.fields["materials"].label_from_instance = lambda m: (
            f"[{m.get_kind_display()}] {m.title}"
        )

    def to_data(self) -> UnitData:
        d = self.cleaned_data
        return UnitData(
            seq=d["seq"],
            title=d["title"],
            theme=d["theme"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            summary_due=d["summary_due"],
            description=d["description"],
            materials=list(d["materials"]),
        )


class VenueForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Venue.Kind.choices)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, required=False)
    serves = forms.ModelChoiceField(
        label=_("服务区域"),
        queryset=None,
        required=False,
        help_text=_("视频分课堂必填：该区域（含下级）的学员就近到此参训。"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    stream_url = forms.URLField(
        label=_("直播/会议链接"), max_length=300, required=False, assume_scheme="https"
    )
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=-180,
        max_value=180,
    )
    geofence_m = forms.IntegerField(
        label=_("签到范围（米）"),
        min_value=20,
        max_value=5000,
        required=False,
        help_text=_("填写后，手机扫码签到须在教室经纬度该半径内；留空不限。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serves"].queryset = org_choices(actor)
        self.fields["serves"].label_from_instance = lambda o: o.indented_name
        use_picker(self.fields["serves"], "org")

    def to_data(self) -> VenueData:
        d = self.cleaned_data
        return VenueData(
            name=d["name"],
            kind=d["kind"],
            capacity=d["capacity"],
            serves=d["serves"],
            address=d["address"],
            stream_url=d["stream_url"],
            is_active=d["is_active"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            geofence_m=d["geofence_m"],
        )


class TraineePickForm(StyledForm):
    """Choose cadres from the roster: a unit's subtree, narrowed by rank, category, role."""

    unit = forms.ModelChoiceField(label=_("单位（含下级）"), queryset=None)
    rank = forms.ChoiceField(label=_("职级"), required=False)
    category = forms.ModelChoiceField(
        label=_("人员类别"), queryset=CadreCategory.objects.all(), required=False
    )
    leader_role = forms.ChoiceField(label=_("班子角色"), required=False)
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = org_choices(actor)
        self.fields["unit"].label_from_instance = lambda o: o.indented_name
        use_picker(self.fields["unit"], "org")
        self.fields["rank"].choices = [("", _("全部职级")), *Cadre.Rank.choices]
        self.fields["category"].empty_label = _("全部类别")
        self.fields["leader_role"].choices = [
            ("", _("全部")),
            *[(v, label) for v, label in Cadre.LeaderRole.choices if v],
        ]

    def filters(self) -> CadreFilters:
        d = self.cleaned_data
        return CadreFilters(
            q=d["q"],
            unit=d["unit"],
            rank=d["rank"],
            category=d["category"],
            status=Cadre.Status.ACTIVE,
            leader_role=d["leader_role"],
        )


class BatchForm(StyledForm):
    batches = forms.IntegerField(label=_("批次数"), min_value=1, max_value=MAX_BATCHES, initial=2)
    min_on_duty = forms.DecimalField(
        label=_("在岗比例"), min_value=0, max_value=0.99, decimal_places=2, initial=0.4
    )
