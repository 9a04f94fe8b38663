"""Forms of the online-learning pages. Choices are cut to the actor's view."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import Material
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.learning.models import SPEEDS, OnlineCourse
from ganxun.learning.services import CourseData


class CourseForm(StyledForm):
    title = forms.CharField(label=_("课程名称"), max_length=200)
    summary = forms.CharField(
        label=_("课程简介"), required=False, widget=forms.Textarea({"rows": 3})
    )
    status = forms.ChoiceField(label=_("状态"), choices=OnlineCourse.Status.choices)
    completion_percent = forms.IntegerField(
        label=_("完成比例（百分比）"),
        min_value=50,
        max_value=100,
        initial=90,
        help_text=_("视频观看达到时长的该比例，课时即为完成。"),
    )
    max_speed = forms.TypedChoiceField(
        label=_("允许的最高倍速"), choices=SPEEDS, coerce=Decimal, initial=Decimal("1.00")
    )
    forbid_seek_ahead = forms.BooleanField(
        label=_("禁止拖动到未看过的位置"), required=False, initial=True
    )

    @classmethod
    def initial_for(cls, course: OnlineCourse) -> dict:
        return {
            "title": course.title,
            "summary": course.summary,
            "status": course.status,
            "completion_percent": course.completion_percent,
            "max_speed": course.max_speed,
            "forbid_seek_ahead": course.forbid_seek_ahead,
        }

    def to_data(self) -> CourseData:
        d = self.cleaned_data
        return CourseData(
            title=d["title"],
            summary=d["summary"],
            status=d["status"],
            completion_percent=d["completion_percent"],
            max_speed=d["max_speed"],
            forbid_seek_ahead=d["forbid_seek_ahead"],
        )


class LessonAddForm(StyledForm):
    material = forms.ModelChoiceField(label=_("教材库中的视频"), queryset=Material.objects.none())
    title = forms.CharField(
        label=_("课时名称"), max_length=200, required=False, help_text=_("不填则用视频标题。")
    )
    credit_hours = forms.DecimalField(
        label=_("学时"),
        required=False,
        min_value=0,
        max_value=20,
        decimal_places=1,
        help_text=_("不填则按时长折算（与课次学时同一规则）。"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["material"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Material.objects.visible_to(actor).filter(kind=Material.Kind.VIDEO).exclude(file="")
        )
        use_picker(field, "video")


class LessonUploadForm(StyledForm):
    title = forms.CharField(label=_("课时名称"), max_length=200)
    file = forms.FileField(
        label=_("视频文件"),
        help_text=_("MP4（H.264）或 WebM；上传后读取时长，损坏的文件会被拒绝。"),
    )
    credit_hours = forms.DecimalField(
        label=_("学时"),
        required=False,
        min_value=0,
        max_value=20,
        decimal_places=1,
        help_text=_("不填则按时长折算（与课次学时同一规则）。"),
    )
