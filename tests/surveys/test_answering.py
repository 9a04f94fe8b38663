"""Reading a posted answer form: every kind, limits, required answers, drafts and submission."""

import pytest
from django.http import QueryDict

from ganxun.core.scoping import unscoped
from ganxun.surveys import services
from ganxun.surveys.answering import items_with_saved, parse, response_save
from ganxun.surveys.models import Answer, AnswerChoice, Option, Response
from ganxun.surveys.services import QuestionData


@pytest.fixture
def form(admin, city):
    q = services.questionnaire_create(actor=admin, org=city.city, title="问卷")
    s = services.section_create(actor=admin, questionnaire=q, title="节")

    def add(kind, **kw):
        return services.question_create(
            actor=admin, section=s, data=QuestionData(kind=kind, text=kind, **kw)
        )

    questions = {
        "single": add("single", options=["甲", "乙"]),
        "multiple": add("multiple", options=["甲", "乙", "丙"], max_choices=2),
        "rating": add("rating"),
        "ranking": add("ranking", options=["甲", "乙", "丙"], max_choices=2),
        "short": add("short_text", required=False),
        "long": add("long_text"),
    }
    with unscoped():
        options = {k: list(Option.objects.filter(question=q)) for k, q in questions.items()}
    return q, questions, options


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            data.appendlist(key, str(v))
    return data


def complete(questions, options) -> QueryDict:
    q, o = questions, options
    return post(
        **{
            f"q{q['single'].pk}": o["single"][1].pk,
            f"q{q['multiple'].pk}": [o["multiple"][0].pk, o["multiple"][2].pk],
            f"q{q['rating'].pk}": 4,
            f"q{q['ranking'].pk}_o{o['ranking'][2].pk}": 1,
            f"q{q['ranking'].pk}_o{o['ranking'][0].pk}": 2,
            f"q{q['long'].pk}": "  希望多讲讲基层矛盾纠纷化解的实操办法\n应急处置  ",
        }
    )


def test_a_complete_answer_parses_to_values(form):
    questionnaire, q, o = form
    parsed = parse(questionnaire, complete(q, o), final=True)
    assert parsed.ok
    values = parsed.values()
    assert values[q["single"].pk] == o["single"][1].pk
    assert values[q["multiple"].pk] == [o["multiple"][0].pk, o["multiple"][2].pk]
    assert values[q["rating"].pk] == 4
    assert values[q["ranking"].pk] == [o["ranking"][2].pk, o["ranking"][0].pk]
    assert values[q["long"].pk] == "希望多讲讲基层矛盾纠纷化解的实操办法\n应急处置"
    assert q["short"].pk not in values


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("multiple", "too_many", "最多选择 2 项"),
        ("rating", 6, "1 到 5 分"),
        ("rating", "五", "选择无效"),
        ("single", 999999, "选择无效"),
        ("long", "字" * 2001, "2000 字以内"),
    ],
)
def test_invalid_values_are_reported_on_their_question(form, key, value, message):
    questionnaire, q, o = form
    data = complete(q, o)
    if value == "too_many":
        data.setlist(f"q{q['multiple'].pk}", [str(x.pk) for x in o["multiple"]])
    else:
        data[f"q{q[key].pk}"] = str(value)
    parsed = parse(questionnaire, data, final=False)
    assert message in parsed.errors[q[key].pk]


def test_an_option_of_another_question_is_not_accepted(form):
    questionnaire, q, o = form
    data = complete(q, o)
    data[f"q{q['single'].pk}"] = str(o["multiple"][0].pk)
    assert "选择无效" in parse(questionnaire, data, final=True).errors[q["single"].pk]


@pytest.mark.parametrize(
    ("places", "ok"),
    [
        ({0: 1, 1: 2}, True),
        ({0: 1, 1: 1}, False),
        ({0: 1, 1: 3}, False),
        ({0: 1, 1: 2, 2: 3}, False),
    ],
)
def test_ranking_places_must_run_one_two_without_gaps(form, places, ok):
    questionnaire, q, o = form
    data = complete(q, o)
    for option in o["ranking"]:
        data.pop(f"q{q['ranking'].pk}_o{option.pk}", None)
    for index, place in places.items():
        data[f"q{q['ranking'].pk}_o{o['ranking'][index].pk}"] = str(place)
    assert (q["ranking"].pk not in parse(questionnaire, data, final=True).errors) is ok


def test_required_and_complete_ranking_only_on_submit(form):
    questionnaire, q, o = form
    data = post(**{f"q{q['ranking'].pk}_o{o['ranking'][0].pk}": 1})
    assert parse(questionnaire, data, final=False).ok
    final = parse(questionnaire, data, final=True)
    assert final.errors[q["single"].pk] == "此题为必答题。"
    assert final.errors[q["ranking"].pk] == "请排满 2 位。"


def test_a_draft_is_saved_replaced_and_restored(form):
    questionnaire, q, o = form
    response = Response.objects.create(questionnaire=questionnaire)
    # given a draft saved twice with different single choices
    response_save(response=response, data=complete(q, o), submit=False)
    again = complete(q, o)
    again[f"q{q['single'].pk}"] = str(o["single"][0].pk)
    response_save(response=response, data=again, submit=False)
    # then only the latest answers are stored, and the form shows them again
    with unscoped():
        assert Answer.objects.filter(response=response).count() == 5
        assert (
            AnswerChoice.objects.filter(response=response, question=q["single"]).get().option
            == o["single"][0]
        )
    items = {i.question.pk: i for i in items_with_saved(questionnaire, response)}
    assert items[q["single"].pk].value == o["single"][0].pk
    assert items[q["ranking"].pk].option_ranks[2][1] == 1
    assert response.status == Response.Status.DRAFT


def test_submit_with_errors_stores_nothing_and_stays_a_draft(form):
    questionnaire, _q, _o = form
    response = Response.objects.create(questionnaire=questionnaire)
    parsed = response_save(response=response, data=post(), submit=True)
    assert not parsed.ok
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
    with unscoped():
        assert not Answer.objects.filter(response=response).exists()


def test_submit_freezes_with_its_key(form):
    questionnaire, q, o = form
    response = Response.objects.create(questionnaire=questionnaire)
    response_save(response=response, data=complete(q, o), submit=True, submission_key="k1")
    response.refresh_from_db()
    assert response.is_submitted and response.submission_key == "k1" and response.submitted_at


def test_too_many_ticks_come_back_ticked_beside_the_error_and_nothing_else_is_lost(form):
    questionnaire, q, o = form
    response = Response.objects.create(questionnaire=questionnaire)
    # given a trainee who ticks all three options of a "at most 2" question and a bad ranking
    data = complete(q, o)
    data.setlist(f"q{q['multiple'].pk}", [str(x.pk) for x in o["multiple"]])
    data[f"q{q['ranking'].pk}_o{o['ranking'][0].pk}"] = "1"
    # when the draft is saved
    parsed = response_save(response=response, data=data, submit=False)
    items = {i.question.pk: i for i in parsed.items}
    # then the question says why, and every tick is shown again as submitted
    multiple = items[q["multiple"].pk]
    assert multiple.error == "最多选择 2 项。"
    assert multiple.chosen == {x.pk for x in o["multiple"]}
    ranking = items[q["ranking"].pk]
    assert ranking.error
    assert [place for _o, place in ranking.option_ranks] == [1, None, 1]
    # and the other answers stay, while the invalid ones are not stored
    assert items[q["single"].pk].value == o["single"][1].pk
    assert q["multiple"].pk not in parsed.values()
    with unscoped():
        assert not AnswerChoice.objects.filter(response=response, question=q["multiple"]).exists()
        assert AnswerChoice.objects.filter(response=response, question=q["single"]).exists()
