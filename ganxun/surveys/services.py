"""Every write to questionnaires: building, templates, opening and closing. One transaction each.

Answers are written by ``surveys.answering``; the apps that invite people call it.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.surveys.errors import SurveyError
from ganxun.surveys.models import Option, Question, Questionnaire, Section
from ganxun.surveys.policies import manages_questionnaire

if TYPE_CHECKING:
    from ganxun.accounts.models import User

TEMPLATES_DIR = Path(__file__).with_name("data")
QUESTIONNAIRE_FIELDS = ["title", "intro", "status", "closes_at"]
QUESTION_FIELDS = ["kind", "text", "help_text", "required", "max_choices"]
MAX_OPTIONS = 30


def _require_manager(actor: "User", questionnaire: Questionnaire) -> None:
    if not manages_questionnaire(actor, questionnaire):
        raise PermissionDenied()


def _require_editable(questionnaire: Questionnaire) -> None:
    if not questionnaire.is_editable:
        raise SurveyError("locked", _("问卷已发布，题目不能再修改。"))


# --- questionnaires --------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(
    *, actor: "User", org, title: str, intro: str = "", purpose: str = Questionnaire.Purpose.NEEDS
) -> Questionnaire:
    title = title.strip()
    if not title:
        raise SurveyError("required", _("请填写问卷标题。"), field="title")
    questionnaire = Questionnaire(org=org, title=title, intro=intro.strip(), purpose=purpose)
    _require_manager(actor, questionnaire)
    questionnaire.created_by = actor
    questionnaire.save()
    audit_record(
        actor=actor,
        action="create",
        obj=questionnaire,
        changes=diff({}, snapshot(questionnaire, QUESTIONNAIRE_FIELDS)),
    )
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    actor: "User",
    questionnaire: Questionnaire,
    title: str,
    intro: str,
    closes_at: datetime | None,
) -> Questionnaire:
    """Title, introduction and deadline may change while it runs; questions may not."""
    _require_manager(actor, questionnaire)
    if not title.strip():
        raise SurveyError("required", _("请填写问卷标题。"), field="title")
    if (
        closes_at
        and questionnaire.status == Questionnaire.Status.OPEN
        and closes_at <= timezone.now()
    ):
        raise SurveyError("deadline_past", _("截止时间须晚于现在。"), field="closes_at")
    before = snapshot(questionnaire, QUESTIONNAIRE_FIELDS)
    questionnaire.title, questionnaire.intro = title.strip(), intro.strip()
    questionnaire.closes_at = closes_at
    questionnaire.save(update_fields=["title", "intro", "closes_at", "updated_at"])
    changes = diff(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    audit_record(actor=actor, action="update", obj=questionnaire, changes=changes)
    return questionnaire


@transaction.atomic
def questionnaire_open(
    *, actor: "User", questionnaire: Questionnaire, closes_at: datetime | None = None
) -> Questionnaire:
    _require_manager(actor, questionnaire)
    if questionnaire.status != Questionnaire.Status.DRAFT:
        raise SurveyError("not_draft", _("只有草稿状态的问卷可以发布。"))
    questions = children_of(questionnaire, Question, "questionnaire")
    has_questions = questions.exists()
    empty_choice = (
        questions.filter(kind__in=Question.CHOICE_KINDS).filter(options__isnull=True).first()
    )
    if not has_questions:
        raise SurveyError("no_questions", _("问卷还没有题目，不能发布。"))
    if empty_choice:
        raise SurveyError(
            "no_options", _("题目“%(text)s”还没有选项。") % {"text": empty_choice.text}
        )
    closes_at = closes_at or questionnaire.closes_at
    if closes_at and closes_at <= timezone.now():
        raise SurveyError("deadline_past", _("截止时间须晚于现在。"), field="closes_at")
    before = snapshot(questionnaire, QUESTIONNAIRE_FIELDS)
    questionnaire.status = Questionnaire.Status.OPEN
    questionnaire.opened_at = timezone.now()
    questionnaire.closes_at = closes_at
    questionnaire.save(update_fields=["status", "opened_at", "closes_at", "updated_at"])
    changes = diff(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    audit_record(actor=actor, action="update", obj=questionnaire, changes=changes)
    return questionnaire


@transaction.atomic
def questionnaire_close(*, actor: "User", questionnaire: Questionnaire) -> Questionnaire:
    _require_manager(actor, questionnaire)
    if questionnaire.status != Questionnaire.Status.OPEN:
        raise SurveyError("not_open", _("问卷不在进行中。"))
    before = snapshot(questionnaire, QUESTIONNAIRE_FIELDS)
    questionnaire.status = Questionnaire.Status.CLOSED
    questionnaire.closed_at = timezone.now()
    questionnaire.save(update_fields=["status", "closed_at", "updated_at"])
    changes = diff(before, snapshot(questionnaire, QUESTIONNAIRE_FIELDS))
    audit_record(actor=actor, action="update", obj=questionnaire, changes=changes)
    return questionnaire


# --- sections --------------------------------------------------------------------------------


def _next_position(qs) -> int:
    """After the last of ``qs``: the children of a held parent (``children_of``)."""
    top = qs.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_create(
    *, actor: "User", questionnaire: Questionnaire, title: str, description: str = ""
) -> Section:
    _require_manager(actor, questionnaire)
    _require_editable(questionnaire)
    if not title.strip():
        raise SurveyError("required", _("请填写分节标题。"), field="title")
    section = Section.objects.create(
        questionnaire=questionnaire,
        title=title.strip(),
        description=description.strip(),
        position=_next_position(children_of(questionnaire, Section, "questionnaire")),
    )
    audit_record(actor=actor, action="create", obj=section, changes={"title": [None, title]})
    return section


@transaction.atomic
def section_update(
    *, actor: "User", section: Section, title: str, description: str = ""
) -> Section:
    _require_manager(actor, section.questionnaire)
    _require_editable(section.questionnaire)
    if not title.strip():
        raise SurveyError("required", _("请填写分节标题。"), field="title")
    before = snapshot(section, ["title", "description"])
    section.title, section.description = title.strip(), description.strip()
    section.save(update_fields=["title", "description"])
    changes = diff(before, snapshot(section, ["title", "description"]))
    audit_record(actor=actor, action="update", obj=section, changes=changes)
    return section


@transaction.atomic
def section_delete(*, actor: "User", section: Section) -> None:
    _require_manager(actor, section.questionnaire)
    _require_editable(section.questionnaire)
    audit_record(
        actor=actor, action="delete", obj=section, changes={"title": [section.title, None]}
    )
    section.delete()  # the collector reads and deletes through the models' base managers


# --- questions -------------------------------------------------------------------------------


@dataclass
class QuestionData:
    kind: str
    text: str
    help_text: str = ""
    required: bool = True
    max_choices: int | None = None
    options: list[str] = field(default_factory=list)


def _clean_question(data: QuestionData) -> QuestionData:
    if data.kind not in Question.Kind.values:
        raise SurveyError("bad_kind", _("题型无效。"), field="kind")
    if not data.text.strip():
        raise SurveyError("required", _("请填写题目。"), field="text")
    options = list(dict.fromkeys(o.strip() for o in data.options if o.strip()))
    has_options = data.kind in Question.CHOICE_KINDS
    if has_options and len(options) < 2:
        raise SurveyError("too_few_options", _("选择题和排序题至少需要两个选项。"), field="options")
    if len(options) > MAX_OPTIONS:
        raise SurveyError(
            "too_many_options",
            _("选项不能超过 %(MAX_OPTIONS)s 个。") % {"MAX_OPTIONS": MAX_OPTIONS},
            field="options",
        )
    max_choices = (
        data.max_choices if data.kind in (Question.Kind.MULTIPLE, Question.Kind.RANKING) else None
    )
    if max_choices is not None and not 1 <= max_choices <= len(options):
        raise SurveyError(
            "bad_max_choices", _("“最多选/排几项”须在 1 与选项数之间。"), field="max_choices"
        )
    return QuestionData(
        kind=data.kind,
        text=data.text.strip(),
        help_text=data.help_text.strip(),
        required=data.required,
        max_choices=max_choices,
        options=options if has_options else [],
    )


def _write_options(question: Question, options: list[str]) -> None:
    children_of(question, Option, "question").delete()
    Option.objects.bulk_create(
        [Option(question=question, text=text, position=i) for i, text in enumerate(options)]
    )


@transaction.atomic
def question_create(*, actor: "User", section: Section, data: QuestionData) -> Question:
    _require_manager(actor, section.questionnaire)
    _require_editable(section.questionnaire)
    data = _clean_question(data)
    question = Question.objects.create(
        questionnaire=section.questionnaire,
        section=section,
        kind=data.kind,
        text=data.text,
        help_text=data.help_text,
        required=data.required,
        max_choices=data.max_choices,
        position=_next_position(children_of(section, Question, "section")),
    )
    _write_options(question, data.options)
    changes = diff({}, {**snapshot(question, QUESTION_FIELDS), "options": data.options})
    audit_record(actor=actor, action="create", obj=question, changes=changes)
    return question


@transaction.atomic
def question_update(*, actor: "User", question: Question, data: QuestionData) -> Question:
    _require_manager(actor, question.questionnaire)
    _require_editable(question.questionnaire)
    data = _clean_question(data)
    old_options = list(children_of(question, Option, "question").values_list("text", flat=True))
    before = {**snapshot(question, QUESTION_FIELDS), "options": old_options}
    question.kind, question.text, question.help_text = data.kind, data.text, data.help_text
    question.required, question.max_choices = data.required, data.max_choices
    question.save()
    _write_options(question, data.options)
    after = {**snapshot(question, QUESTION_FIELDS), "options": data.options}
    audit_record(actor=actor, action="update", obj=question, changes=diff(before, after))
    return question


@transaction.atomic
def question_delete(*, actor: "User", question: Question) -> None:
    _require_manager(actor, question.questionnaire)
    _require_editable(question.questionnaire)
    audit_record(
        actor=actor, action="delete", obj=question, changes={"text": [question.text, None]}
    )
    question.delete()  # the collector reads and deletes through the models' base managers


@transaction.atomic
def question_move(*, actor: "User", question: Question, step: int) -> Question:
    """Swap with the neighbour above (step −1) or below (+1) in the same section."""
    _require_manager(actor, question.questionnaire)
    _require_editable(question.questionnaire)
    siblings = list(
        children_of(question.questionnaire, Question, "questionnaire")
        .filter(section=question.section_id)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
            sibling.save(update_fields=["position"])  # one UPDATE of its own row
    question.refresh_from_db()
    return question


# --- templates -------------------------------------------------------------------------------


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.json"))


def load_template(name: str) -> dict:
    if name not in template_names():
        raise SurveyError("no_template", _("没有这个问卷模板。"), field="template")
    return json.loads((TEMPLATES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@transaction.atomic
def questionnaire_from_template(
    *,
    actor: "User",
    org,
    template: str,
    title: str = "",
    purpose: str = Questionnaire.Purpose.NEEDS,
) -> Questionnaire:
    """A new draft questionnaire with the template's sections, questions and options."""
    spec = load_template(template)
    questionnaire = questionnaire_create(
        actor=actor,
        org=org,
        title=title or spec["title"],
        intro=spec.get("intro", ""),
        purpose=purpose,
    )
    for s_spec in spec["sections"]:
        section = section_create(actor=actor, questionnaire=questionnaire, title=s_spec["title"])
        for q_spec in s_spec["questions"]:
            data = QuestionData(
                kind=q_spec["kind"],
                text=q_spec["text"],
                help_text=q_spec.get("help_text", ""),
                required=q_spec.get("required", True),
                max_choices=q_spec.get("max_choices"),
                options=q_spec.get("options", []),
            )
            question_create(actor=actor, section=section, data=data)
    return questionnaire
