"""Forms for sessions, recurring series, outlines and consultations."""

from datetime import datetime, timedelta

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ganxun.catalog import selectors as catalog
from ganxun.catalog.models import Lecturer, MenuItem, TeachingForm
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.core.scoping import children_of
from ganxun.programs import dates, recurrence
from ganxun.programs.forms import date_input, lecturer_label, venue_label
from ganxun.programs.models import OutlineDecision, Program, ProgramTrainee, ProgramUnit, Venue
from ganxun.programs.services import ConsultationData, SeriesData, SessionData

TIME = {"type": "time"}
WEEKDAY_CHOICES = list(enumerate(dates.WEEKDAY_NAMES))


class _SessionFields(StyledForm):
    """What a single session and a series share: content, teachers, rooms, batch."""

    title = forms.CharField(
        label=_("课题"), max_length=200, required=False, help_text=_("留空则用所选课程的名称。")
    )
    course = forms.ModelChoiceField(
        label=_("课程"), queryset=None, required=False, empty_label=_("（不选课程库中的课程）")
    )
    form = forms.ChoiceField(
        label=_("教学形式"),
        choices=[("", _("（按所选课程）")), *TeachingForm.choices],
        required=False,
        help_text=_("留空则取所选课程的教学形式；未选课程时为专题讲座。"),
    )
    theme = forms.ModelChoiceField(
        label=_("专题"),
        queryset=None,
        required=False,
        empty_label=_("（按所选课程）"),
        help_text=_("留空则取所选课程的专题。"),
    )
    lecturers = forms.ModelMultipleChoiceField(
        label=_("授课教师"),
        queryset=None,
        required=False,
    )
    main_venue = forms.ModelChoiceField(
        label=_("主课堂"), queryset=None, required=False, empty_label=_("（未定）")
    )
    sub_venues = forms.ModelMultipleChoiceField(
        label=_("视频分课堂"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    batch = forms.TypedChoiceField(
        label=_("参训批次"), coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    credit_hours = forms.DecimalField(
        label=_("学时"),
        min_value=0.5,
        max_value=24,
        decimal_places=1,
        required=False,
        help_text=_("留空则按课次时长折算。"),
    )
    self_selectable = forms.BooleanField(label=_("自主选学（学员自行选课）"), required=False)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000, required=False)
    selection_deadline = forms.DateTimeField(
        label=_("选课/退课截止"),
        required=False,
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空则到开课时为止。"),
    )
    allow_walk_in = forms.BooleanField(label=_("允许未报名人员旁听签到"), required=False)
    requires_checkout = forms.BooleanField(label=_("需要签退"), required=False)
    late_after_minutes = forms.IntegerField(
        label=_("迟到判定（开课后分钟）"), min_value=0, max_value=600, initial=10, required=False
    )
    early_leave_minutes = forms.IntegerField(
        label=_("早退判定（下课前分钟）"), min_value=0, max_value=600, initial=10, required=False
    )
    accept_warnings = forms.BooleanField(
        label=_("我已知晓以上提示，仍然保存"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, actor, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["course"].queryset = _courses(actor, program)
        self.fields["course"].label_from_instance = lambda c: (
            f"★ {c.title}" if getattr(c, "on_menu", False) else c.title
        )
        self.fields["theme"].queryset = catalog.theme_choices(actor)
        self.fields["lecturers"].queryset = catalog.lecturer_choices(actor)
        self.fields["lecturers"].help_text = _("可多选；新选课程时留空则取课程的主讲人。")
        self.fields["lecturers"].label_from_instance = lecturer_label
        use_picker(self.fields["lecturers"], "lecturer")
        venues = Venue.objects.visible_to(actor).filter(is_active=True)
        self.fields["main_venue"].queryset = venues
        self.fields["sub_venues"].queryset = venues.filter(kind=Venue.Kind.VIDEO)
        for name in ("main_venue", "sub_venues"):
            self.fields[name].label_from_instance = venue_label
        self.fields["batch"].choices = [("", _("全体学员"))] + [
            (b, _("第%(batch)s批") % {"batch": b}) for b in program.batch_numbers()
        ]

    def show_acceptance(self) -> None:
        """After warnings: let the organizer tick that they accept them."""
        self.fields["accept_warnings"].widget = forms.CheckboxInput({"class": "form-check-input"})

    def template_data(self, starts_at, ends_at) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            starts_at=starts_at,
            ends_at=ends_at,
            title=d["title"],
            course=d["course"],
            form=d["form"] or None,
            theme=d["theme"],
            lecturers=list(d["lecturers"]),
            main_venue=d["main_venue"],
            sub_venues=list(d["sub_venues"]),
            batch=d["batch"],
            note=d["note"],
            credit_hours=d["credit_hours"],
            self_selectable=d["self_selectable"],
            capacity=d["capacity"],
            selection_deadline=_aware_or_none(d["selection_deadline"]),
            allow_walk_in=d["allow_walk_in"],
            requires_checkout=d["requires_checkout"],
            late_after_minutes=_minutes(d["late_after_minutes"]),
            early_leave_minutes=_minutes(d["early_leave_minutes"]),
        )


def _courses(actor, program: Program):
    """Courses the actor may use; those on the program's training menu (培训菜单) first."""
    courses = catalog.course_choices(actor)
    if not program.menu_call_id:
        return courses.order_by("title")
    # scope: the menu of the call of a program the caller holds
    menu = MenuItem._base_manager.filter(call_id=program.menu_call_id, course=OuterRef("pk"))
    return courses.annotate(on_menu=Exists(menu)).order_by("-on_menu", "title")


def _aware(day, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _minutes(value: int | None) -> int:
    """A blank threshold means the default of 10 minutes."""
    return 10 if value is None else value


def _aware_or_none(moment: datetime | None) -> datetime | None:
    return timezone.make_aware(moment) if moment and timezone.is_naive(moment) else moment


def _local_naive(moment: datetime | None) -> datetime | None:
    """What a datetime-local input shows: local time without the zone."""
    return moment and timezone.localtime(moment).replace(tzinfo=None)


class SessionForm(_SessionFields):
    unit = forms.ModelChoiceField(label=_("单元"), queryset=None, required=False)
    day = forms.DateField(label=_("日期"), widget=date_input())
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    outline_due_at = forms.DateTimeField(
        label=_("提纲截止（单独设定）"),
        required=False,
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("留空则按项目规定的课前天数。"),
    )

    field_order = ["unit", "day", "start_time", "end_time", "title", "course", "form", "theme"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = children_of(self.program, ProgramUnit, "program").order_by("seq")
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("（不属于单元）")
        self.order_fields(self.field_order)

    @staticmethod
    def initial_for(session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "unit": session.unit_id,
            "day": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "title": session.title,
            "course": session.course_id,
            "form": session.form,
            "theme": session.theme_id,
            "lecturers": [lec.pk for lec in session.lecturers.all()],
            "main_venue": session.main_venue_id,
            "sub_venues": [v.pk for v in session.sub_venues.all()],
            "batch": session.batch,
            "note": session.note,
            "outline_due_at": _local_naive(session.outline_due_at),
            "credit_hours": session.credit_hours,
            "self_selectable": session.self_selectable,
            "capacity": session.capacity,
            "selection_deadline": _local_naive(session.selection_deadline),
            "allow_walk_in": session.allow_walk_in,
            "requires_checkout": session.requires_checkout,
            "late_after_minutes": session.late_after_minutes,
            "early_leave_minutes": session.early_leave_minutes,
        }

    def to_data(self) -> SessionData:
        d = self.cleaned_data
        data = self.template_data(
            _aware(d["day"], d["start_time"]), _aware(d["day"], d["end_time"])
        )
        data.unit = d["unit"]
        data.outline_due_at = _aware_or_none(d["outline_due_at"])
        return data


class SeriesForm(_SessionFields):
    freq = forms.ChoiceField(
        label=_("重复方式"), choices=[("weekly", _("每周")), ("monthly", _("每月第几个"))]
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("星期"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    interval = forms.IntegerField(label=_("每隔几周"), min_value=1, max_value=52, initial=1)
    nth = forms.TypedChoiceField(
        label=_("每月第几个"),
        coerce=int,
        choices=[
            (1, _("第一个")),
            (2, _("第二个")),
            (3, _("第三个")),
            (4, _("第四个")),
            (-1, _("最后一个")),
        ],
        initial=1,
    )
    start = forms.DateField(label=_("从"), widget=date_input())
    until = forms.DateField(label=_("到"), required=False, widget=date_input())
    count = forms.IntegerField(label=_("或共几次"), min_value=1, required=False)
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    batch_gap_days = forms.IntegerField(
        label=_("每批各排一次，后一批错后几天"),
        min_value=0,
        max_value=31,
        required=False,
        help_text=_("分批项目：填 1 即第1批周六、第2批周日；留空则只排上面所选的批次。"),
    )

    field_order = [
        "freq",
        "weekdays",
        "interval",
        "nth",
        "start",
        "until",
        "count",
        "start_time",
        "end_time",
        "batch_gap_days",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        if self.program.batch_count < 2:
            del self.fields["batch_gap_days"]

    def to_series(self) -> SeriesData:
        d = self.cleaned_data
        rule = recurrence.Rule(
            freq=d["freq"],
            start=d["start"],
            weekdays=list(d["weekdays"]),
            interval=d["interval"] or 1,
            nth=d["nth"] or 1,
            until=d["until"],
            count=d["count"],
        )
        template = self.template_data(None, None)
        return SeriesData(
            rule=rule,
            start_time=d["start_time"],
            end_time=d["end_time"],
            template=template,
            batch_gap_days=d.get("batch_gap_days"),
        )


class CopyForm(StyledForm):
    """Copy a session to another batch: only what differs — the batch, the day and the times."""

    batch = forms.TypedChoiceField(label=_("复制到"), coerce=int)
    day = forms.DateField(label=_("日期"), widget=date_input())
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(TIME, format="%H:%M"))
    accept_warnings = forms.BooleanField(
        label=_("我已知晓以上提示，仍然保存"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        program = session.program
        self.fields["batch"].choices = [
            (b, _("第%(batch)s批") % {"batch": b})
            for b in program.batch_numbers()
            if b != session.batch
        ]

    @staticmethod
    def initial_for(session) -> dict:
        """The next batch, the next day (batch 1 on Saturday, batch 2 on Sunday), same hours."""
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        others = [b for b in session.program.batch_numbers() if b != session.batch]
        later = [b for b in others if session.batch is None or b > session.batch]
        return {
            "batch": (later or others or [None])[0],
            "day": start.date() + timedelta(days=1),
            "start_time": start.time(),
            "end_time": end.time(),
        }

    def show_acceptance(self) -> None:
        self.fields["accept_warnings"].widget = forms.CheckboxInput({"class": "form-check-input"})

    def times(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        return _aware(d["day"], d["start_time"]), _aware(d["day"], d["end_time"])


class OutlineForm(StyledForm):
    text = forms.CharField(
        label=_("提纲内容"), required=False, widget=forms.Textarea({"rows": 10}), max_length=20_000
    )
    file = forms.FileField(
        label=_("提纲文件"), required=False, help_text=_("PDF、Word 或 PPT，不超过 20 MB。")
    )


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=OutlineDecision.Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("退回修改时必填。"),
    )


class ConsultationForm(StyledForm):
    held_on = forms.DateField(label=_("研议日期"), widget=date_input())
    lecturer = forms.ModelChoiceField(label=_("授课教师"), queryset=None, required=False)
    representatives = forms.CharField(
        label=_("学员代表"),
        required=False,
        max_length=500,
        help_text=_("填写本项目学员的姓名，用顿号或逗号分隔；重名时写成“姓名（单位）”。"),
    )
    direction = forms.CharField(
        label=_("教师阐述的教学方向"), required=False, widget=forms.Textarea({"rows": 3})
    )
    adjustments = forms.CharField(
        label=_("商定的调整"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, session, lecturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if lecturers:
            ids = [lec.pk for lec in lecturers]
            # scope: the held session's own lecturers, whichever org keeps them in its pool
            self.fields["lecturer"].queryset = Lecturer._base_manager.filter(pk__in=ids)
            self.fields["lecturer"].label_from_instance = lecturer_label
        else:
            del self.fields["lecturer"]

    def clean_representatives(self) -> list[ProgramTrainee]:
        names = [
            n.strip()
            for n in self.cleaned_data["representatives"]
            .replace("，", "、")
            .replace(",", "、")
            .split("、")
            if n.strip()
        ]
        rows = list(
            children_of(self.session.program, ProgramTrainee, "program")
            .filter(cadre__name__in=[n.split("（")[0] for n in names])
            .select_related("cadre__unit")
        )
        chosen = []
        for name in names:
            person, _sep, unit = name.partition("（")
            unit = unit.rstrip("）")
            found = [
                r
                for r in rows
                if r.cadre.name == person and (not unit or r.cadre.unit.name == unit)
            ]
            if not found:
                raise forms.ValidationError(_("“%(name)s”不是本项目的学员。") % {"name": name})
            if len(found) > 1:
                where = "、".join(f"{person}（{r.cadre.unit.name}）" for r in found)
                raise forms.ValidationError(
                    _("“%(name)s”有重名，请写成：%(where)s。") % {"name": name, "where": where}
                )
            chosen.append(found[0])
        return chosen

    def to_data(self) -> ConsultationData:
        d = self.cleaned_data
        return ConsultationData(
            held_on=d["held_on"],
            lecturer=d.get("lecturer"),
            representatives=d["representatives"],
            direction=d["direction"],
            adjustments=d["adjustments"],
        )


class ExpectationForm(StyledForm):
    text = forms.CharField(
        label=_("学习期望"),
        max_length=2000,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("希望老师重点讲什么、结合哪些案例、解答哪些问题。"),
    )
