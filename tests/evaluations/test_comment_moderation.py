"""Moderated comments to lecturers: an organizer publishes, keeps private or hides each
suggestion; the lecturer reads only the published ones, without names, and only where the
session meets the anonymity threshold; organizers are told once when reviews wait."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.core.models import AuditEntry, Notice
from ganxun.core.scoping import unscoped
from ganxun.evaluations import selectors
from ganxun.evaluations.errors import EvaluationError
from ganxun.evaluations.models import CommentReview
from ganxun.evaluations.services import (
    comments_remind_pending,
    comments_review,
    evaluation_submit,
)
from ganxun.programs.models import Session
from tests.evaluations.factories import form_post

pytestmark = pytest.mark.django_db

# What trainees write in the 意见建议 box, as they write it.
SUGGESTIONS = [
    "建议多结合本县防汛抢险的真实案例，少讲条文",
    "课程安排在周六上午和值班冲突，建议错开",
    "老师讲得很实在，希望会后能把课件发到群里",
    "东湖镇应急办的老周上课一直在玩手机，影响大家",  # identifying: to hide
    "讲的啥玩意，纯属浪费时间",  # abusive: to hide
]


def _answer(scene, texts):
    for trainee, text in zip(scene.trainees, texts, strict=False):
        evaluation_submit(
            actor=trainee, session=scene.session, data=form_post(scene.program, text=text)
        )


def _comment_ids(scene) -> dict[str, int]:
    return {c["text"]: c["id"] for c in selectors.session_comments(scene.session)}


def _review(scene, texts, status, note=""):
    ids = _comment_ids(scene)
    return comments_review(
        actor=scene.organizer,
        session=scene.session,
        answer_ids=[ids[t] for t in texts],
        status=status,
        note=note,
    )


def _lecturer_page(client, scene) -> str:
    client.force_login(scene.lecturer_user)
    page = client.get(reverse("evaluations:session_results", args=[scene.session.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_the_lecturer_reads_only_published_comments_without_names(client, scene):
    # given five forms with suggestions (the threshold is five)
    _answer(scene, SUGGESTIONS)
    # when the organizer publishes two, keeps one private and hides two in one go
    _review(scene, SUGGESTIONS[:2], "published")
    _review(scene, SUGGESTIONS[2:3], "private")
    done = _review(scene, SUGGESTIONS[3:], "hidden", note="含可识别身份或不当内容")
    assert done == {"changed": 2, "unchanged": 0}
    # then the lecturer sees exactly the two published ones, and no trainee's name
    body = _lecturer_page(client, scene)
    assert 'data-testid="published-comments"' in body
    assert SUGGESTIONS[0] in body and SUGGESTIONS[1] in body
    for text in SUGGESTIONS[2:]:
        assert text not in body
    assert "学员1" not in body and "学员2" not in body
    # and each decision is in the audit log, one entry per comment, without the text
    with unscoped():
        entries = list(AuditEntry.objects.filter(action__startswith="comment_"))
    assert sorted(e.action for e in entries) == [
        "comment_hidden",
        "comment_hidden",
        "comment_private",
        "comment_published",
        "comment_published",
    ]
    assert all(e.changes["status"][0] == "pending" for e in entries)
    assert not any(SUGGESTIONS[3] in (e.object_repr or "") for e in entries)


def test_statuses_can_change_and_a_repeat_is_refused_with_a_clear_message(scene):
    _answer(scene, SUGGESTIONS)
    _review(scene, SUGGESTIONS[3:4], "hidden")
    # hiding the same comment twice
    with pytest.raises(EvaluationError) as err:
        _review(scene, SUGGESTIONS[3:4], "hidden")
    assert err.value.code == "unchanged"
    # a bulk action that includes it changes the others and counts it as unchanged
    assert _review(scene, SUGGESTIONS[3:5], "hidden") == {"changed": 1, "unchanged": 1}
    # a hidden comment may still be published later (the organizer changed their mind)
    assert _review(scene, SUGGESTIONS[3:4], "published") == {"changed": 1, "unchanged": 0}
    counts = selectors.status_counts(scene.session)
    assert counts == {"pending": 3, "published": 1, "private": 0, "hidden": 1}


def test_publishing_below_the_threshold_is_refused_and_nothing_is_written(client, scene):
    # given only four forms (threshold five)
    _answer(scene, SUGGESTIONS[:4])
    with pytest.raises(EvaluationError) as err:
        _review(scene, SUGGESTIONS[:1], "published")
    assert err.value.code == "below_threshold"
    with unscoped():
        assert not CommentReview.objects.exists()
    # keeping private and hiding stay possible
    _review(scene, SUGGESTIONS[3:4], "hidden")


def test_a_published_comment_of_a_session_below_the_threshold_never_reaches_the_lecturer(
    client, scene, settings
):
    _answer(scene, SUGGESTIONS)
    _review(scene, SUGGESTIONS[:1], "published")
    # the deployment raises its threshold afterwards: the session no longer meets it
    settings.GANXUN_ANONYMITY_MIN_GROUP = 6
    assert SUGGESTIONS[0] not in _lecturer_page(client, scene)
    with unscoped():
        shown = selectors.published_comments(Session.objects.filter(pk=scene.session.pk))
    assert shown == {}


def test_a_comment_of_another_session_or_no_choice_is_refused(scene):
    _answer(scene, SUGGESTIONS)
    with pytest.raises(EvaluationError) as err:
        comments_review(
            actor=scene.organizer, session=scene.session, answer_ids=[], status="hidden"
        )
    assert err.value.code == "none_chosen"
    with pytest.raises(EvaluationError) as err:
        comments_review(
            actor=scene.organizer, session=scene.session, answer_ids=[10**9], status="hidden"
        )
    assert err.value.code == "unknown_comment"


def test_the_lecturer_cannot_open_the_moderation_page(client, scene):
    _answer(scene, SUGGESTIONS)
    client.force_login(scene.lecturer_user)
    url = reverse("evaluations:session_comments", args=[scene.session.pk])
    assert client.get(url).status_code in (403, 404)


def test_the_organizer_moderates_in_bulk_on_the_page_and_sees_the_pending_count(client, scene):
    _answer(scene, SUGGESTIONS)
    client.force_login(scene.organizer)
    # the program's evaluation tab says five comments wait
    body = client.get(reverse("evaluations:program", args=[scene.program.pk])).content.decode()
    assert 'data-testid="program-pending"' in body and "5 条学员意见待审核" in body
    url = reverse("evaluations:session_comments", args=[scene.session.pk])
    ids = _comment_ids(scene)
    page = client.post(
        url, {"comments": [ids[SUGGESTIONS[0]], ids[SUGGESTIONS[1]]], "status": "published"}
    )
    assert page.status_code == 302
    body = client.get(url + "?status=published").content.decode()
    assert SUGGESTIONS[0] in body and SUGGESTIONS[2] not in body
    assert selectors.pending_count(scene.organizer) == 3
    home = client.get(reverse("home")).content.decode()
    assert "待审核的学员意见" in home


def test_organizers_are_told_once_the_form_window_has_closed(scene):
    _answer(scene, SUGGESTIONS[:2])
    # while trainees may still answer (72 hours after class), nobody is told
    assert comments_remind_pending() == 0
    # after the window, the program's organizer gets one notice linking to the review page
    later = timezone.now() + timedelta(hours=80)
    assert comments_remind_pending(now=later) == 1
    with unscoped():
        notice = Notice.objects.get(user=scene.organizer)
    assert "2 条学员意见待审核" in notice.title
    assert notice.url == reverse("evaluations:session_comments", args=[scene.session.pk])
    # once everything is reviewed there is nothing left to remind of
    _review(scene, SUGGESTIONS[:2], "private")
    assert comments_remind_pending(now=later) == 0
