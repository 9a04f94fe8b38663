from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.catalog.models import Course
from ganxun.core.forms import StyledForm
from ganxun.core.picker import use_picker
from ganxun.core.scoping import children_of
from ganxun.evaluations.models import Assessment, BankQuestion
from ganxun.evaluations.services import AssessmentData, BankQuestionData
from ganxun.evaluations.services.forms import MAX_CLOSE_HOURS, MAX_OPEN_BEFORE_MINUTES
from ganxun.programs.models import ProgramUnit

LETTERS = "ABCDEFGHIJ"


class SetupForm(StyledForm):
    close_hours = forms.IntegerField(
        label=_("下课后可填写（小时）"),
        min_value=1,
        max_value=MAX_CLOSE_HOURS,
        help_text=_("从评价开放起到下课后这么多小时内，学员可以填写和修改评价，默认 72 小时。"),
    )
    open_minutes_before_end = forms.IntegerField(
        label=_("下课前开放（分钟）"),
        min_value=0,
        max_value=MAX_OPEN_BEFORE_MINUTES,
        initial=0,
        help_text=_("0 = 下课时开放评价；填 15 则下课前 15 分钟开放。签到时不开放。"),
    )


class BankQuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=BankQuestion.Kind.choices)
    text = forms.CharField(
        label=_("题干"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个选项，依次为 A、B、C…；判断题不用填写（A 正确，B 错误）。"),
    )
    correct = forms.CharField(
        label=_("正确答案"),
        max_length=10,
        help_text=_("填写选项字母，如 B；多选题如 ACD。判断题：A = 正确，B = 错误。"),
    )
    points = forms.IntegerField(label=_("分值"), min_value=1, max_value=100, initial=1)
    course = forms.ModelChoiceField(label=_("课程"), queryset=Course.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("单元"), queryset=ProgramUnit.objects.none(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.visible_to(actor).order_by("title")
        self.fields["unit"].queryset = (
            ProgramUnit.objects.visible_to(actor).select_related("program").order_by("-id")
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.program.full_name} · {u}"
        use_picker(self.fields["course"], "course")

    def clean_correct(self):
        raw = "".join(self.cleaned_data["correct"].upper().split()).replace(",", "")
        if not raw or any(ch not in LETTERS for ch in raw):
            raise forms.ValidationError(_("请用选项字母填写正确答案，如 A 或 ACD。"))
        return [LETTERS.index(ch) for ch in raw]

    def to_data(self) -> BankQuestionData:
        d = self.cleaned_data
        return BankQuestionData(
            kind=d["kind"],
            text=d["text"],
            options=d["options"].splitlines(),
            correct=d["correct"],
            points=d["points"],
            course=d["course"],
            unit=d["unit"],
        )

    @staticmethod
    def initial_for(q: BankQuestion) -> dict:
        return {
            "kind": q.kind,
            "text": q.text,
            "options": "" if q.kind == BankQuestion.Kind.TRUE_FALSE else "\n".join(q.options),
            "correct": q.answer_letters,
            "points": q.points,
            "course": q.course_id,
            "unit": q.unit_id,
        }


class AssessmentForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Assessment.Kind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    pass_mark = forms.IntegerField(
        label=_("及格线（百分制）"), min_value=0, max_value=100, initial=60
    )
    unit = forms.ModelChoiceField(
        label=_("单元"),
        queryset=ProgramUnit.objects.none(),
        required=False,
        help_text=_("留空表示整个项目的测评。"),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = children_of(program, ProgramUnit, "program")

    def to_data(self) -> AssessmentData:
        d = self.cleaned_data
        return AssessmentData(
            kind=d["kind"], title=d["title"], pass_mark=d["pass_mark"], unit=d["unit"]
        )
