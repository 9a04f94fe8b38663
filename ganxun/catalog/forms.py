"""Forms of the catalogue pages. Querysets of choices are always cut to the actor's view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.catalog import selectors
from ganxun.catalog.models import (
    SITE_KINDS,
    Course,
    Lecturer,
    Material,
    TeachingForm,
)
from ganxun.catalog.services import (
    BaseData,
    CourseData,
    LecturerData,
    MaterialData,
    SiteData,
)
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.orgs.idcard import InvalidIdNumber, parse_id_number
from ganxun.orgs.lookup import cadre_by_id_number
from ganxun.orgs.models import Cadre, CadreCategory

# --- editing forms ---------------------------------------------------------------------------


class ThemeForm(StyledForm):
    name = forms.CharField(label=_("专题名称"), max_length=50)
    color = forms.CharField(
        label=_("颜色"), max_length=7, initial="#b3261e", widget=forms.TextInput({"type": "color"})
    )
    sort = forms.IntegerField(label=_("排序"), min_value=0, initial=0, required=False)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class CourseForm(StyledForm):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    theme = forms.ModelChoiceField(
        label=_("专题"), queryset=None, required=False, empty_label=_("（不归入专题）")
    )
    form = forms.ChoiceField(label=_("教学形式"), choices=TeachingForm.choices)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=200, decimal_places=1)
    status = forms.ChoiceField(label=_("状态"), choices=Course.Status.choices)
    summary = forms.CharField(
        label=_("课程简介"), required=False, widget=forms.Textarea({"rows": 4})
    )
    target_ranks = forms.MultipleChoiceField(
        label=_("面向职级"),
        choices=Cadre.Rank.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_categories = forms.ModelMultipleChoiceField(
        label=_("面向人员类别"),
        queryset=CadreCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lecturers = forms.ModelMultipleChoiceField(
        label=_("主讲人"),
        queryset=None,
        required=False,
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("教材资料"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple({"size": 6}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = selectors.themes_for(actor)
        self.fields["lecturers"].queryset = selectors.lecturer_choices(actor)
        self.fields["materials"].queryset = selectors.material_choices(actor)
        self.fields["lecturers"].label_from_instance = _lecturer_label
        use_picker(self.fields["lecturers"], "lecturer")

    def to_data(self) -> CourseData:
        d = self.cleaned_data
        return CourseData(
            title=d["title"],
            theme=d["theme"],
            form=d["form"],
            hours=d["hours"],
            status=d["status"],
            summary=d["summary"],
            target_ranks=list(d["target_ranks"]),
            target_categories=list(d["target_categories"]),
            lecturers=list(d["lecturers"]),
            materials=list(d["materials"]),
        )

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            "title": course.title,
            "theme": course.theme_id,
            "form": course.form,
            "hours": course.hours,
            "status": course.status,
            "summary": course.summary,
            "target_ranks": course.target_ranks,
            "target_categories": [c.pk for c in course.target_categories.all()],
            "lecturers": [lec.pk for lec in course.lecturers.all()],
            "materials": [m.pk for m in course.materials.all()],
        }


def _lecturer_label(lecturer) -> str:
    return f"{lecturer.name}（{lecturer.affiliation}）" if lecturer.affiliation else lecturer.name


class LecturerForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    kind = forms.ChoiceField(label=_("类型"), choices=Lecturer.Kind.choices)
    affiliation = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    title = forms.CharField(label=_("职务/职称"), max_length=100, required=False)
    specialties = forms.CharField(
        label=_("专长领域"),
        max_length=300,
        required=False,
        help_text=_("多个用顿号或逗号分隔，如：数字化改革、风险防范"),
    )
    is_external = forms.BooleanField(label=_("外聘师资"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    availability = forms.CharField(
        label=_("可授课时间"),
        max_length=300,
        required=False,
        help_text=_("如：周六全天；3–6 月不便"),
    )
    bio = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea({"rows": 4}))
    cadre_id_number = forms.CharField(
        label=_("关联名册干部（身份证号）"),
        max_length=30,
        required=False,
        help_text=_("授课人也是本地干部时填写，信息以干部名册为准。"),
    )
    is_active = forms.BooleanField(label=_("在库"), required=False, initial=True)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_cadre_id_number(self):
        raw = self.cleaned_data["cadre_id_number"].strip()
        if not raw:
            return None
        linked = self.initial.get("_linked_cadre")
        if linked is not None and raw == linked.id_number_masked:
            return linked
        try:
            idn = parse_id_number(raw)
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from None
        cadre = cadre_by_id_number(Cadre.objects.visible_to(self.actor), idn.value)
        if cadre is None:
            raise forms.ValidationError(_("您的干部名册中没有该身份证号。"))
        return cadre

    def to_data(self) -> LecturerData:
        d = self.cleaned_data
        return LecturerData(
            name=d["name"],
            kind=d["kind"],
            affiliation=d["affiliation"],
            title=d["title"],
            specialties=d["specialties"],
            is_external=d["is_external"],
            phone=d["phone"],
            availability=d["availability"],
            bio=d["bio"],
            cadre=d["cadre_id_number"],
            is_active=d["is_active"],
        )

    @staticmethod
    def initial_for(lecturer: Lecturer) -> dict:
        values = {
            name: getattr(lecturer, name)
            for name in (
                "name",
                "kind",
                "affiliation",
                "title",
                "specialties",
                "is_external",
                "phone",
                "availability",
                "bio",
                "is_active",
            )
        }
        # masked: the edit page shows no full ID number; left as is, it keeps the link
        values["cadre_id_number"] = lecturer.cadre.id_number_masked if lecturer.cadre else ""
        values["_linked_cadre"] = lecturer.cadre
        return values


class SiteForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.CharField(
        label=_("类别"),
        max_length=20,
        widget=forms.TextInput({"list": "site-kinds"}),
        help_text=_("红色教育、基层治理、廉政教育、转型发展，或自定义类别"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("可容纳人数"), min_value=1, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    highlights = forms.CharField(
        label=_("教学内容（可看什么）"), required=False, widget=forms.Textarea({"rows": 4})
    )

    kinds = SITE_KINDS

    def to_data(self) -> SiteData:
        return SiteData(**self.cleaned_data)


class VisitForm(StyledForm):
    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput({"type": "date"}))
    group = forms.CharField(label=_("来访班次/单位"), max_length=100)
    headcount = forms.IntegerField(label=_("人数"), min_value=1)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class BaseForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    in_region = forms.TypedChoiceField(
        label=_("域内/域外"),
        choices=[("1", _("域内")), ("0", _("域外"))],
        coerce=lambda v: v == "1",
    )
    partner = forms.CharField(label=_("合作机构"), max_length=100, required=False)
    location = forms.CharField(label=_("所在地"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("可容纳人数"), min_value=1, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea({"rows": 3}))
    courses = forms.ModelMultipleChoiceField(
        label=_("可开设课程"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple({"size": 6}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = selectors.course_choices(actor)
        use_picker(self.fields["courses"], "course")

    def to_data(self) -> BaseData:
        d = dict(self.cleaned_data)
        d["courses"] = list(d["courses"])
        return BaseData(**d)


class MaterialForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Material.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    authors = forms.CharField(label=_("作者/编者"), max_length=200, required=False)
    isbn = forms.CharField(label=_("ISBN（图书）"), max_length=20, required=False)
    publisher = forms.CharField(label=_("出版社"), max_length=100, required=False)
    year = forms.IntegerField(label=_("出版年份"), required=False)
    summary = forms.CharField(
        label=_("内容简介"), required=False, widget=forms.Textarea({"rows": 3})
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("专题"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("视频：MP4、WebM、Ogg、MOV，不超过 1 GB；资料：PDF、Word、Excel、PPT。"),
    )
    duration = forms.CharField(
        label=_("时长（视频）"),
        required=False,
        max_length=10,
        help_text=_("MP4 自动读取；其他格式请填写，如 45:00 或 1:30:00"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = selectors.theme_choices(actor)

    def clean_duration(self):
        raw = self.cleaned_data["duration"].strip().replace("：", ":")
        if not raw:
            return None
        try:
            parts = [int(p) for p in raw.split(":")]
        except ValueError:
            raise forms.ValidationError(_("时长格式如 45:00 或 1:30:00。")) from None
        if len(parts) == 1:
            return parts[0] * 60  # minutes
        if len(parts) > 3 or any(p < 0 for p in parts):
            raise forms.ValidationError(_("时长格式如 45:00 或 1:30:00。"))
        seconds = 0
        for p in parts:
            seconds = seconds * 60 + p
        return seconds or None

    def to_data(self) -> MaterialData:
        d = self.cleaned_data
        return MaterialData(
            kind=d["kind"],
            title=d["title"],
            authors=d["authors"],
            isbn=d["isbn"],
            publisher=d["publisher"],
            year=d["year"],
            summary=d["summary"],
            duration_seconds=d["duration"],
            themes=list(d["themes"]),
        )

    @staticmethod
    def initial_for(material: Material) -> dict:
        values = {
            name: getattr(material, name)
            for name in ("kind", "title", "authors", "isbn", "publisher", "year", "summary")
        }
        values["themes"] = [t.pk for t in material.themes.all()]
        values["duration"] = material.duration_display
        return values
