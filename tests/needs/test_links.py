"""Answering by personal link: no password, drafts, one submission, retries, closed surveys."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.needs import services
from ganxun.needs.errors import LinkError
from ganxun.surveys.models import Answer, Questionnaire, Response
from tests.factories import make_user
from tests.needs.conftest import full_answer, invite_all, person, token_of


@pytest.fixture
def invited(admin, city, survey):
    """An open survey and one invited cadre of 东湖镇."""
    person(city.town_a1, name="陈晓明")
    (respondent,) = invite_all(admin, survey)
    services.needs_survey_open(
        actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=7)
    )
    return respondent


def url(respondent) -> str:
    return f"/s/{token_of(respondent)}/"


def submit(client, respondent, data, key="key-1"):
    data = data.copy()
    data["submit"] = "1"
    data["submission_key"] = key
    return client.post(url(respondent), data)


def responses(respondent):
    with unscoped():
        return list(Response.objects.filter(respondent=respondent))


def test_the_link_opens_the_form_without_signing_in(client, invited):
    page = client.get(url(invited))
    assert page.status_code == 200
    html = page.content.decode()
    assert "陈晓明" in html and "您最希望在培训中学习哪些内容" in html and "保存草稿" in html
    invited.refresh_from_db()
    assert invited.opened_at is not None


def test_a_wrong_token_is_not_found(client, invited):
    response = client.get("/s/not-a-real-token/")
    assert response.status_code == 404
    assert "链接无效" in response.content.decode()


def test_draft_then_continue_then_submit_once(client, invited, questions):
    # given a respondent who saves a draft with the free text filled in
    draft = {f"q{questions['long_text'].pk}": "想学应急处置", "save": "1", "submission_key": "k0"}
    assert client.post(url(invited), draft).status_code == 302
    # when the link is opened again, the draft is there
    assert "想学应急处置" in client.get(url(invited)).content.decode()
    # and a complete submission lands on the thanks page
    response = submit(client, invited, full_answer(questions, text="想学应急处置"))
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    assert "提交成功" in client.get(response["Location"]).content.decode()
    (stored,) = responses(invited)
    assert stored.is_submitted
    assert AuditEntry.objects.filter(
        object_type="surveys.response", object_id=str(stored.pk)
    ).exists()


def test_a_retried_submission_gets_the_same_thanks_and_no_duplicate(client, invited, questions):
    # given a submission whose response the phone never received
    data = full_answer(questions)
    first = submit(client, invited, data, key="same-key")
    # when the phone posts the very same form again
    retry = submit(client, invited, data, key="same-key")
    # then it is answered like the first time, and one response exists
    assert retry.status_code == first.status_code == 302
    assert retry["Location"] == first["Location"]
    assert len(responses(invited)) == 1
    with unscoped():
        assert (
            Answer.objects.filter(response__respondent=invited).count()
            == len(set(data.keys()) - {"submit", "submission_key"}) - 2
        )


def test_the_link_used_again_after_submitting_says_so(client, invited, questions):
    submit(client, invited, full_answer(questions), key="first")
    # a new visit shows the thanks page
    assert client.get(url(invited))["Location"].endswith("/done/")
    # a second submission from a freshly loaded form is refused with a clear message
    again = submit(client, invited, full_answer(questions, rating=1), key="second")
    assert again.status_code == 409
    assert "每人只能提交一次" in again.content.decode()
    with unscoped():
        assert (
            Answer.objects.get(response__respondent=invited, question=questions["rating"]).number
            == 4
        )


def test_missing_required_answers_are_shown_not_stored(client, invited, questions):
    data = full_answer(questions)
    del data[f"q{questions['rating'].pk}"]
    response = submit(client, invited, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "此题为必答题" in html and "还有 1 题需要修改" in html
    assert not any(r.is_submitted for r in responses(invited))


def test_garbage_input_gets_messages_not_a_500(client, invited, questions):
    data = full_answer(questions)
    data[f"q{questions['single'].pk}"] = "<script>"
    data[f"q{questions['rating'].pk}"] = "99"
    response = submit(client, invited, data)
    assert response.status_code == 200
    assert "选择无效" in response.content.decode()


def test_after_closing_the_link_expires_with_a_clear_message(
    client, admin, survey, invited, questions
):
    services.needs_survey_close(actor=admin, survey=survey)
    page = client.get(url(invited))
    assert page.status_code == 410 and "调研已经结束" in page.content.decode()
    assert submit(client, invited, full_answer(questions)).status_code == 410
    assert responses(invited) == []


def test_past_the_deadline_the_link_expires_even_before_closing(client, invited, questions):
    with unscoped():
        Questionnaire.objects.filter(pk=invited.survey.questionnaire_id).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
    assert client.get(url(invited)).status_code == 410


def test_before_publishing_the_link_says_not_started(admin, city):
    survey = services.needs_survey_create(actor=admin, org=city.city, template="needs_default")
    person(city.town_a1)
    (respondent,) = invite_all(admin, survey)
    with pytest.raises(LinkError) as refused:
        services.check_link_usable(respondent)
    assert refused.value.code == "not_started"


def test_reissuing_a_link_kills_the_old_one(client, admin, invited):
    old = url(invited)
    services.respondent_reissue_link(actor=admin, respondent=invited)
    assert client.get(old).status_code == 404
    assert client.get(url(invited)).status_code == 200


def test_a_trainee_answers_from_the_inbox(client, admin, city, survey, questions, invited):
    # given the invited cadre has a trainee account
    with unscoped():
        cadre = invited.cadre
    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadre)
    client.force_login(trainee)
    # the home page and the inbox show the open survey
    assert "待填问卷" in client.get("/").content.decode()
    inbox = client.get("/needs/mine/").content.decode()
    assert survey.title in inbox
    # when the trainee submits from the inbox
    data = full_answer(questions)
    data["submit"], data["submission_key"] = "1", "k"
    response = client.post(f"/needs/mine/{invited.pk}/", data)
    assert response["Location"] == f"/needs/mine/{invited.pk}/done/"
    # then the survey leaves the to-do list and is kept in the history of submitted surveys
    inbox = client.get("/needs/mine/").content.decode()
    todo, _sep, history = inbox.partition('data-testid="submitted-surveys"')
    assert 'data-testid="invitation"' not in todo and survey.title not in todo
    assert survey.title in history and "已提交" in history
    assert f'href="/needs/mine/{invited.pk}/done/"' in history
    # and another trainee neither sees it in their history nor can open this invitation
    client.force_login(make_user(city.town_a1, Role.TRAINEE, cadre=person(city.town_a1)))
    assert survey.title not in client.get("/needs/mine/").content.decode()
    assert client.get(f"/needs/mine/{invited.pk}/").status_code == 404
