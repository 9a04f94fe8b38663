"""Tests (测评): the bank's rules, scoring on submit, once per trainee, gains per trainee, per
unit and per program, and whether trainees passed the post-test."""

import pytest
from django.urls import reverse

from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import Assessment, AssessmentAttempt, BankQuestion
from ganxun.evaluations.progress import program_learning
from ganxun.evaluations.progress import tests_passed as passed_post_tests
from ganxun.evaluations.selectors import assessment_results
from ganxun.evaluations.services import (
    AssessmentData,
    BankQuestionData,
    assessment_add_questions,
    assessment_save,
    assessment_set_status,
    assessment_submit,
    bank_question_save,
)
from tests.evaluations.factories import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(scene):
    """Four questions, one point each except the multiple choice (2 points): 5 in all."""

    def save(data):
        return bank_question_save(actor=scene.organizer, owner=scene.organizer.org, data=data)

    return [
        save(BankQuestionData("single", "应急预案分几级？", ["二级", "四级", "六级"], [1])),
        save(BankQuestionData("truefalse", "台风来临前应提前转移群众。", [], [0])),
        save(
            BankQuestionData("multiple", "属于应急响应的有？", ["预警", "救援", "招商"], [0, 1], 2)
        ),
        save(BankQuestionData("single", "首要原则是？", ["人民至上", "效率优先"], [0])),
    ]


def _test(scene, bank, kind, pass_mark=60):
    test = assessment_save(
        actor=scene.organizer,
        program=scene.program,
        data=AssessmentData(kind=kind, title=f"{kind}测", pass_mark=pass_mark),
    )
    assessment_add_questions(
        actor=scene.organizer, assessment=test, question_ids=[q.pk for q in bank]
    )
    return assessment_set_status(actor=scene.organizer, assessment=test, status="open")


def _answers(bank, right: set[int]):
    """Post data answering the questions whose index is in ``right`` correctly, others wrongly."""
    data = Post()
    for i, q in enumerate(bank):
        if i in right:
            data[f"q{q.pk}"] = [str(c) for c in q.correct]
        else:
            wrong = next(j for j in range(len(q.options)) if j not in q.correct)
            data[f"q{q.pk}"] = [str(wrong)]
    return data


def test_a_submission_is_scored_against_the_key(scene, bank):
    test = _test(scene, bank, "post")
    # right on the single choice and the 2-point multiple choice: 3 of 5 points
    attempt = assessment_submit(
        actor=scene.trainees[0], assessment=test, data=_answers(bank, {0, 2})
    )
    assert (attempt.score, attempt.max_score, attempt.percent) == (3, 5, 60.0)
    assert attempt.passed is True


def test_a_partly_right_multiple_choice_earns_nothing(scene, bank):
    test = _test(scene, bank, "post")
    data = _answers(bank, {0, 1, 3})
    data[f"q{bank[2].pk}"] = ["0"]  # only one of the two right options
    attempt = assessment_submit(actor=scene.trainees[0], assessment=test, data=data)
    assert attempt.score == 3 and attempt.passed is True  # 60% ≥ 60
    stricter = _test(scene, bank, "pre", pass_mark=61)
    assert (
        assessment_submit(actor=scene.trainees[0], assessment=stricter, data=data).passed is False
    )


def test_each_trainee_takes_a_test_once(scene, bank):
    test = _test(scene, bank, "pre")
    assessment_submit(actor=scene.trainees[0], assessment=test, data=_answers(bank, {0}))
    with pytest.raises(EvaluationError) as exc:
        assessment_submit(
            actor=scene.trainees[0], assessment=test, data=_answers(bank, {0, 1, 2, 3})
        )
    assert exc.value.code == "already_taken"
    assert AssessmentAttempt._base_manager.get().score == 1


def test_refusals_save_nothing(scene, bank, city):
    from tests.factories import CadreFactory, make_user

    test = _test(scene, bank, "pre")
    outsider = make_user(city.town_a1, "trainee", cadre=CadreFactory(unit=city.town_a1))
    cases = [
        (outsider, _answers(bank, {0}), "not_trainee"),
        (scene.trainees[0], Post({f"q{bank[0].pk}": ["9"]}), "invalid"),
        (scene.trainees[0], Post(), "invalid"),
        (scene.trainees[0], Post({f"q{bank[0].pk}": ["0", "1"]}), "invalid"),
    ]
    for actor, data, code in cases:
        with pytest.raises(EvaluationError) as exc:
            assessment_submit(actor=actor, assessment=test, data=data)
        assert exc.value.code == code
    assessment_set_status(actor=scene.organizer, assessment=test, status="closed")
    with pytest.raises(EvaluationError) as exc:
        assessment_submit(actor=scene.trainees[0], assessment=test, data=_answers(bank, {0}))
    assert exc.value.code == "not_open"
    assert AssessmentAttempt._base_manager.count() == 0


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (BankQuestionData("single", "两个正确答案", ["甲", "乙"], [0, 1]), "bad_correct"),
        (BankQuestionData("single", "只有一个选项", ["甲"], [0]), "bad_options"),
        (BankQuestionData("multiple", "答案超出选项", ["甲", "乙"], [2]), "bad_correct"),
        (BankQuestionData("single", "", ["甲", "乙"], [0]), "required"),
    ],
)
def test_bank_questions_are_checked(scene, data, code):
    with pytest.raises(EvaluationError) as exc:
        bank_question_save(actor=scene.organizer, owner=scene.organizer.org, data=data)
    assert exc.value.code == code
    assert BankQuestion._base_manager.count() == 0


def test_true_false_questions_get_fixed_options(scene):
    q = bank_question_save(
        actor=scene.organizer,
        owner=scene.organizer.org,
        data=BankQuestionData("truefalse", "对吗", ["x", "y", "z"], [1]),
    )
    assert q.options == ["正确", "错误"] and q.answer_letters == "B"


def test_a_test_without_questions_cannot_open(scene):
    test = assessment_save(
        actor=scene.organizer, program=scene.program, data=AssessmentData("pre", "空测评")
    )
    with pytest.raises(EvaluationError) as exc:
        assessment_set_status(actor=scene.organizer, assessment=test, status="open")
    assert exc.value.code == "no_questions"


def test_gains_per_trainee_per_unit_and_per_program(scene, bank):
    pre, post = _test(scene, bank, "pre"), _test(scene, bank, "post")
    t1, t2, t3 = scene.trainees[:3]  # 东湖镇, 东湖镇, 南岭乡
    # t1: 20 → 100 (+80); t2: 40 → 60 (+20); t3: pre only 60
    assessment_submit(actor=t1, assessment=pre, data=_answers(bank, {0}))
    assessment_submit(actor=t1, assessment=post, data=_answers(bank, {0, 1, 2, 3}))
    assessment_submit(actor=t2, assessment=pre, data=_answers(bank, {0, 1}))
    assessment_submit(actor=t2, assessment=post, data=_answers(bank, {0, 2}))
    assessment_submit(actor=t3, assessment=pre, data=_answers(bank, {0, 2}))
    learning = program_learning(scene.program)
    assert learning == {"tested": 2, "pre_mean": 40.0, "post_mean": 80.0, "gain": 50.0}
    results = assessment_results(scene.program)
    by_unit = {u["unit"]: u for u in results["units"]}
    assert by_unit["东湖镇"]["gain"] == 50.0 and by_unit["东湖镇"]["tested"] == 2
    assert by_unit["南岭乡"]["gain"] is None and by_unit["南岭乡"]["pre"] == 60.0
    gains = {r["name"]: r["gain"] for r in results["trainees"]}
    assert gains == {"学员1": 80.0, "学员2": 20.0, "学员3": None}


def test_tests_passed_follows_the_post_test_and_is_true_without_one(scene, bank):
    ids = [t.cadre_id for t in scene.trainees[:3]]
    assert passed_post_tests(scene.program, ids) == dict.fromkeys(ids, True)
    post = _test(scene, bank, "post", pass_mark=80)
    assessment_submit(actor=scene.trainees[0], assessment=post, data=_answers(bank, {0, 1, 2, 3}))
    assessment_submit(actor=scene.trainees[1], assessment=post, data=_answers(bank, {0}))
    assert passed_post_tests(scene.program, ids) == {ids[0]: True, ids[1]: False, ids[2]: False}
    assert program_learning(scene.program)["gain"] is None


def test_a_trainee_takes_a_test_on_the_page_and_sees_the_score(client, scene, bank):
    test = _test(scene, bank, "post")
    client.force_login(scene.trainees[0])
    url = reverse("evaluations:assessment_take", args=[test.pk])
    assert "提交" in client.get(url).content.decode()
    data = {f"q{q.pk}": [str(c) for c in q.correct] for q in bank}
    response = client.post(url, data)
    assert response.status_code == 302
    assert "得分 5/5" in client.get(url).content.decode()
    mine = client.get(reverse("evaluations:mine")).content.decode()
    assert test.title in mine and "100.0 分" in mine


def test_the_organizer_builds_a_test_through_the_pages(client, scene, bank):
    client.force_login(scene.organizer)
    url = reverse("evaluations:program_tests", args=[scene.program.pk])
    response = client.post(url, {"kind": "pre", "title": "开班前测", "pass_mark": "60"})
    test = Assessment._base_manager.get(title="开班前测")
    assert response["Location"] == reverse("evaluations:assessment", args=[test.pk])
    client.post(reverse("evaluations:assessment_add", args=[test.pk]), {"q": [bank[0].pk]})
    client.post(reverse("evaluations:assessment_status", args=[test.pk]), {"status": "open"})
    test.refresh_from_db()
    assert test.status == "open" and test.questions.through.objects.count() == 1
    bad = client.post(url, {"kind": "pre", "title": "x", "pass_mark": "150"})
    assert bad.status_code == 200 and Assessment._base_manager.count() == 1
