"""The questionnaire builder: sections, six kinds of question, the template, the lock on publish."""

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import unscoped
from ganxun.surveys import services
from ganxun.surveys.errors import SurveyError
from ganxun.surveys.models import Question, Questionnaire, Section
from ganxun.surveys.services import QuestionData
from tests.factories import make_user


@pytest.fixture
def draft(admin, city):
    return services.questionnaire_create(actor=admin, org=city.city, title="测试问卷")


@pytest.fixture
def section(admin, draft):
    return services.section_create(actor=admin, questionnaire=draft, title="一、基本")


def add(admin, section, kind, text="题目", **kw):
    return services.question_create(
        actor=admin, section=section, data=QuestionData(kind=kind, text=text, **kw)
    )


def test_every_kind_of_question_can_be_built(admin, section):
    # given a draft questionnaire with a section
    # when the administrator adds one question of each kind
    add(admin, section, "single", options=["甲", "乙"])
    add(admin, section, "multiple", options=["甲", "乙", "丙"], max_choices=2)
    add(admin, section, "rating")
    add(admin, section, "ranking", options=["甲", "乙", "丙"], max_choices=2)
    add(admin, section, "short_text", required=False)
    add(admin, section, "long_text")
    # then they are stored in order with their options; rating and text have none
    with unscoped():
        questions = list(Question.objects.filter(section=section).prefetch_related("options"))
    assert [q.kind for q in questions] == [
        "single",
        "multiple",
        "rating",
        "ranking",
        "short_text",
        "long_text",
    ]
    assert [len(q.options.all()) for q in questions] == [2, 3, 0, 3, 0, 0]
    assert questions[1].max_choices == 2 and questions[4].required is False


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (QuestionData(kind="single", text="只有一个选项", options=["甲"]), "too_few_options"),
        (
            QuestionData(kind="multiple", text="上限过大", options=["甲", "乙"], max_choices=3),
            "bad_max_choices",
        ),
        (QuestionData(kind="single", text="  ", options=["甲", "乙"]), "required"),
        (QuestionData(kind="essay", text="未知题型"), "bad_kind"),
        (QuestionData(kind="ranking", text="重复选项", options=["甲", "甲"]), "too_few_options"),
    ],
)
def test_invalid_questions_are_refused_with_a_code(admin, section, data, code):
    with pytest.raises(SurveyError) as refused:
        services.question_create(actor=admin, section=section, data=data)
    assert refused.value.code == code


def test_max_choices_is_dropped_for_kinds_that_do_not_use_it(admin, section):
    q = add(admin, section, "single", options=["甲", "乙"], max_choices=1)
    assert q.max_choices is None


def test_template_builds_the_seed_survey(admin, city):
    # when a questionnaire is made from the needs template
    q = services.questionnaire_from_template(actor=admin, org=city.city, template="needs_default")
    # then it asks what to learn, weakest abilities, teaching form, lecturer, time, length,
    # and for the needs in the respondent's own words
    with unscoped():
        texts = list(Question.objects.filter(questionnaire=q).values_list("text", flat=True))
        kinds = set(Question.objects.filter(questionnaire=q).values_list("kind", flat=True))
        sections = Section.objects.filter(questionnaire=q).count()
    assert sections == 4
    assert kinds == {"single", "multiple", "rating", "ranking", "short_text", "long_text"}
    for phrase in (
        "学习哪些内容",
        "最需要提升",
        "培训方式",
        "哪类老师",
        "培训时间",
        "时长",
        "知识、能力或经验",
    ):
        assert any(phrase in t for t in texts), phrase


def test_unknown_template_is_refused(admin, city):
    with pytest.raises(SurveyError) as refused:
        services.questionnaire_from_template(
            actor=admin, org=city.city, template="../../etc/passwd"
        )
    assert refused.value.code == "no_template"


def test_publishing_locks_the_questions(admin, draft, section):
    # given a questionnaire with a question, published
    q = add(admin, section, "rating")
    services.questionnaire_open(actor=admin, questionnaire=draft)
    # when the administrator tries to change it
    for change in (
        lambda: add(admin, section, "rating"),
        lambda: services.question_update(
            actor=admin, question=q, data=QuestionData(kind="rating", text="新")
        ),
        lambda: services.question_delete(actor=admin, question=q),
        lambda: services.section_delete(actor=admin, section=section),
    ):
        with pytest.raises(SurveyError) as refused:
            change()
        # then every change is refused as locked
        assert refused.value.code == "locked"


def test_empty_questionnaire_cannot_be_published(admin, draft):
    with pytest.raises(SurveyError) as refused:
        services.questionnaire_open(actor=admin, questionnaire=draft)
    assert refused.value.code == "no_questions"


def test_lifecycle_open_then_close(admin, draft, section):
    add(admin, section, "rating")
    services.questionnaire_open(actor=admin, questionnaire=draft)
    assert draft.is_accepting()
    with pytest.raises(SurveyError) as twice:
        services.questionnaire_open(actor=admin, questionnaire=draft)
    assert twice.value.code == "not_draft"
    services.questionnaire_close(actor=admin, questionnaire=draft)
    assert draft.status == Questionnaire.Status.CLOSED and not draft.is_accepting()


def test_move_swaps_neighbours(admin, section):
    first, second = add(admin, section, "rating", "一"), add(admin, section, "rating", "二")
    services.question_move(actor=admin, question=second, step=-1)
    with unscoped():
        order = list(Question.objects.filter(section=section).values_list("text", flat=True))
    assert order == ["二", "一"]
    services.question_move(actor=admin, question=first, step=-1)  # already first: nothing moves
    with unscoped():
        assert list(Question.objects.filter(section=section).values_list("text", flat=True)) == [
            "一",
            "二",
        ]


def test_builders_outside_the_owner_subtree_cannot_change_it(city, draft, section):
    # given an organizer of another county
    outsider = make_user(city.county_b, Role.ORGANIZER)
    # when they try to add a question, then they are refused
    with pytest.raises(PermissionDenied):
        add(outsider, section, "rating")


def test_builder_pages_for_the_owner_and_404_for_others(client, admin, city, draft, section):
    add(admin, section, "single", text="最喜欢的方式", options=["讲座", "研讨"])
    client.force_login(admin)
    page = client.get(f"/surveys/{draft.pk}/").content.decode()
    assert "最喜欢的方式" in page and "添加题目" in page
    assert "讲座" in client.get(f"/surveys/{draft.pk}/preview/").content.decode()
    # a question form posted over HTTP creates the question
    response = client.post(
        f"/surveys/sections/{section.pk}/questions/new/",
        {
            "kind": "multiple",
            "text": "想学什么",
            "required": "on",
            "max_choices": "2",
            "options": "甲\n乙\n丙",
        },
    )
    assert response.status_code == 302
    with unscoped():
        assert Question.objects.filter(text="想学什么", max_choices=2).exists()
    # an invalid one shows the field error instead
    response = client.post(
        f"/surveys/sections/{section.pk}/questions/new/",
        {"kind": "single", "text": "x", "options": "甲"},
    )
    assert response.status_code == 200 and "至少需要两个选项" in response.content.decode()
    client.force_login(make_user(city.county_b, Role.ADMIN))
    assert client.get(f"/surveys/{draft.pk}/").status_code == 404
