from django import forms
from django.utils.translation import gettext_lazy as _

from ganxun.core.forms import StyledForm
from ganxun.surveys.models import Question
from ganxun.surveys.services import QuestionData

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QuestionnaireForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    intro = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"), required=False, widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )


class SectionForm(StyledForm):
    title = forms.CharField(label=_("分节标题"), max_length=200)
    description = forms.CharField(label=_("说明"), max_length=500, required=False)


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("题目"), max_length=300)
    help_text = forms.CharField(label=_("提示"), max_length=300, required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    max_choices = forms.IntegerField(
        label=_("最多选/排几项"),
        required=False,
        min_value=1,
        help_text=_("多选题：最多可选几项；排序题：排前几位。留空则不限。"),
    )
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("单选、多选、排序题填写，每行一个选项。"),
    )

    def to_data(self) -> QuestionData:
        d = self.cleaned_data
        return QuestionData(
            kind=d["kind"],
            text=d["text"],
            help_text=d["help_text"],
            required=d["required"],
            max_choices=d["max_choices"],
            options=d["options"].splitlines(),
        )

    @staticmethod
    def initial_for(question: Question, options: list) -> dict:
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "max_choices": question.max_choices,
            "options": "\n".join(o.text for o in options),
        }
