"""Filling in a questionnaire: read the posted form, check it, save a draft or submit once.

The form is plain HTML built from the questions (``surveys/_answer_form.html``), so it works on
any phone browser without scripts. Field names: ``q<id>`` for single, multiple, rating and
text questions; ``q<id>_o<option id>`` holding a place number for ranking questions.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.scoping import children_of
from ganxun.surveys.errors import SurveyError
from ganxun.surveys.models import (
    RATING_SCALE,
    Answer,
    AnswerChoice,
    Option,
    Question,
    Response,
)

Kind = Question.Kind


@dataclass(frozen=True)
class Answers:
    """What a person answered, as the services take it: each field name (``q<id>``,
    ``q<id>_o<option>``) → the values given, as text. Built from a form post or a JSON body at
    the edge, so no service reads a QueryDict."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_post(cls, post) -> "Answers":
        return cls({key: tuple(post.getlist(key)) for key in post})

    @classmethod
    def from_json(cls, answers: dict) -> "Answers":
        """``{"q12": "34", "q13": ["35", "36"], "q14": 5}``: one value or a list of them."""
        values = {}
        for key, value in answers.items():
            items = value if isinstance(value, list) else [value]
            values[key] = tuple(str(v) for v in items if v is not None)
        return cls(values)

    def get(self, key: str, default=None):
        """The last value given for ``key`` (as a form post reads), or ``default``."""
        given = self.values.get(key)
        return given[-1] if given else default

    def getlist(self, key: str) -> list[str]:
        return list(self.values.get(key, ()))

    def __contains__(self, key: str) -> bool:
        return key in self.values


@dataclass
class Item:
    """One question as the form shows it: its options, the current value and any error."""

    question: Question
    options: list
    value: object = None
    error: str = ""
    # Ranking places as posted when they did not validate, so the form shows them unchanged.
    places: dict | None = None

    @property
    def field(self) -> str:
        return f"q{self.question.pk}"

    @property
    def chosen(self) -> set:
        if isinstance(self.value, list):
            return set(self.value)
        return {self.value} if self.value is not None else set()

    @property
    def option_ranks(self) -> list[tuple]:
        """(option, its current place or None) for ranking questions."""
        if self.places is not None:
            return [(o, self.places.get(o.pk)) for o in self.options]
        order = self.value if isinstance(self.value, list) else []
        return [(o, order.index(o.pk) + 1 if o.pk in order else None) for o in self.options]

    @property
    def rank_choices(self) -> list[int]:
        return list(range(1, (self.question.max_choices or len(self.options)) + 1))

    @property
    def rating_scale(self) -> tuple[int, ...]:
        return RATING_SCALE


@dataclass
class Parsed:
    items: list[Item]
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def values(self) -> dict[int, object]:
        """The valid answers only: a value kept for display beside its error is left out."""
        return {
            i.question.pk: i.value
            for i in self.items
            if not i.error and i.value not in (None, "", [])
        }


def load_items(questionnaire) -> list[Item]:
    """Questions with their options, in order, in two queries. The children of a held
    questionnaire: a respondent (a trainee, or nobody signed in) cannot list its questions."""
    questions = list(
        children_of(questionnaire, Question, "questionnaire").select_related("section")
    )
    by_question: dict[int, Question] = {q.pk: q for q in questions}
    options: dict[int, list[Option]] = {q.pk: [] for q in questions}
    for option in children_of(questions, Option, "question"):  # in the model's order
        option.question = by_question[option.question_id]
        options[option.question_id].append(option)
    return [Item(q, options[q.pk]) for q in questions]


def items_with_saved(questionnaire, response: Response | None) -> list[Item]:
    """The form filled with what the response already holds (a draft being continued)."""
    items = load_items(questionnaire)
    if response is None:
        return items
    answers = {a.question_id: a for a in children_of(response, Answer, "response")}
    choices = list(
        children_of(response, AnswerChoice, "response").order_by("question_id", "rank", "id")
    )
    by_question: dict[int, list[AnswerChoice]] = {}
    for choice in choices:
        by_question.setdefault(choice.question_id, []).append(choice)
    for item in items:
        item.value = _saved_value(item.question, answers.get(item.question.pk), by_question)
    return items


def _saved_value(question, answer, by_question):
    if question.kind == Kind.SINGLE:
        chosen = by_question.get(question.pk)
        return chosen[0].option_id if chosen else None
    if question.kind in (Kind.MULTIPLE, Kind.RANKING):
        return [c.option_id for c in by_question.get(question.pk, [])] or None
    if answer is None:
        return None
    return answer.number if question.kind == Kind.RATING else answer.text


# --- reading the form ----------------------------------------------------------------------------


def parse(questionnaire, data, *, final: bool) -> Parsed:
    """Values and errors per question. ``final`` adds the required-answer checks of a submit."""
    items = load_items(questionnaire)
    errors: dict[int, str] = {}
    for item in items:
        try:
            item.value = _read(item, data)
        except SurveyError as exc:
            # Never lose what the person entered: show it again as posted, beside the error.
            item.error = exc.message
            item.value = _as_posted(item, data)
        if not item.error and final:
            item.error = _final_check(item)
        if item.error:
            errors[item.question.pk] = item.error
    return Parsed(items, errors)


def _final_check(item: Item) -> str:
    """What a submission needs beyond valid values: required answers, a complete ranking."""
    q = item.question
    if q.required and _blank(item.value):
        return _("此题为必答题。")
    places = min(q.max_choices or len(item.options), len(item.options))
    if q.kind == Kind.RANKING and item.value and q.required and len(item.value) < places:
        # A partial ranking is kept in a draft; a submission must rank every place asked for.
        return _("请排满 %(places)s 位。") % {"places": places}
    return ""


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _option_ids(item: Item) -> set[int]:
    return {o.pk for o in item.options}


def _as_int(raw: str) -> int:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        raise SurveyError("bad_value", _("选择无效，请重新选择。")) from None


def _read(item: Item, data):
    q, name = item.question, item.field
    if q.kind == Kind.SINGLE:
        raw = data.get(name, "")
        return _checked_options(item, [raw])[0] if raw else None
    if q.kind == Kind.MULTIPLE:
        chosen = _checked_options(item, [r for r in data.getlist(name) if r])
        if q.max_choices and len(chosen) > q.max_choices:
            raise SurveyError(
                "too_many", _("最多选择 %(max_choices)s 项。") % {"max_choices": q.max_choices}
            )
        return chosen or None
    if q.kind == Kind.RATING:
        raw = data.get(name, "")
        if not raw:
            return None
        score = _as_int(raw)
        if score not in RATING_SCALE:
            raise SurveyError("bad_rating", _("请在 1 到 5 分之间选择。"))
        return score
    if q.kind == Kind.RANKING:
        return _read_ranking(item, data)
    text = (
        " ".join((data.get(name) or "").split())
        if q.kind == Kind.SHORT_TEXT
        else ((data.get(name) or "").strip())
    )
    if len(text) > q.text_limit:
        raise SurveyError(
            "too_long",
            _("请控制在 %(text_limit)s 字以内（现在 %(count)s 字）。")
            % {"text_limit": q.text_limit, "count": len(text)},
        )
    return text or None


def _as_posted(item: Item, data):
    """What was posted for a question that did not validate, for showing it again."""
    q, name = item.question, item.field
    known = {str(o.pk): o.pk for o in item.options}
    if q.kind == Kind.MULTIPLE:
        return [known[r] for r in dict.fromkeys(data.getlist(name)) if r in known] or None
    if q.kind == Kind.SINGLE:
        return known.get(data.get(name, ""))
    if q.kind == Kind.RANKING:
        places = {}
        for option in item.options:
            raw = str(data.get(f"{name}_o{option.pk}", "")).strip()
            if raw.isdigit():
                places[option.pk] = int(raw)
        item.places = places
        return None
    if q.kind == Kind.RATING:
        return None
    return data.get(name) or None


def _checked_options(item: Item, raws: list[str]) -> list[int]:
    ids = [_as_int(r) for r in raws]
    if not set(ids) <= _option_ids(item):
        raise SurveyError("bad_value", _("选择无效，请重新选择。"))
    return list(dict.fromkeys(ids))


def _read_ranking(item: Item, data) -> list[int] | None:
    """Places 1..n, each used once and without gaps; returns option ids in rank order."""
    places: dict[int, int] = {}
    for option in item.options:
        raw = data.get(f"{item.field}_o{option.pk}", "")
        if raw:
            places[option.pk] = _as_int(raw)
    if not places:
        return None
    ranks = sorted(places.values())
    top = item.question.max_choices or len(item.options)
    if ranks != list(range(1, len(ranks) + 1)) or len(ranks) > top:
        raise SurveyError(
            "bad_ranking",
            _("请按 1、2、3… 依次排序，每个名次只用一次，最多排 %(top)s 位。") % {"top": top},
        )
    return [option for option, _rank in sorted(places.items(), key=lambda kv: kv[1])]


# --- writing -----------------------------------------------------------------------------------


def write_answers(response: Response, parsed: Parsed) -> None:
    """Replace the response's answers with the parsed values (a draft may be saved many times)."""
    children_of(response, Answer, "response").delete()
    children_of(response, AnswerChoice, "response").delete()
    answers, choices = [], []
    for item in parsed.items:
        q, value = item.question, item.value
        if item.error or _blank(value):
            continue
        if q.kind == Kind.RATING:
            answers.append(Answer(response=response, question=q, number=value))
        elif q.is_text:
            answers.append(Answer(response=response, question=q, text=value))
        else:
            option_ids = value if isinstance(value, list) else [value]
            answers.append(Answer(response=response, question=q))
            ranked = q.kind == Kind.RANKING
            choices += [
                AnswerChoice(response=response, question=q, option_id=o, rank=i if ranked else None)
                for i, o in enumerate(option_ids, start=1)
            ]
    Answer.objects.bulk_create(answers)
    AnswerChoice.objects.bulk_create(choices)


@transaction.atomic
def response_save(*, response: Response, data, submit: bool, submission_key: str = "") -> Parsed:
    """Save a draft (invalid answers are left out and reported) or submit (all must be valid).

    The caller holds a lock on whatever owns the response (one submission at a time) and has
    checked that the questionnaire still accepts answers and the response is not submitted.
    """
    parsed = parse(response.questionnaire, data, final=submit)
    if submit and not parsed.ok:
        return parsed
    write_answers(response, parsed)
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.submission_key = submission_key[:64]
    response.save()
    return parsed
