"""Progress through the services: devices, completion, exactly-once 学时, bad input."""

import json
from decimal import Decimal

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import acting_as, unscoped
from ganxun.credits.models import Channel, CreditEntry
from ganxun.learning import services
from ganxun.learning.errors import LearningError
from ganxun.learning.models import Enrollment, LessonProgress
from tests.factories import make_user
from tests.learning.factories import age, enrolled, make_course, make_learner, playing


@pytest.fixture
def organizer(city):
    return make_user(city.city, Role.ORGANIZER, username="org_city")


@pytest.fixture
def setup(city, organizer):
    course, lesson = make_course(organizer, seconds=60, hours=Decimal("1"))
    learner = make_learner(city.town_a1)
    enrolled(learner, course)
    return course, lesson, learner


def start(learner, lesson, seconds_ago=0):
    with acting_as(learner):
        token = services.play_start(actor=learner, lesson=lesson).token
    if seconds_ago:
        age(token, seconds_ago)
    return token


def send(learner, token, *reports):
    with acting_as(learner):
        return services.progress_report(actor=learner, token=token, reports=list(reports))


def ledger(learner):
    with unscoped():
        return list(CreditEntry.objects.filter(cadre_id=learner.cadre_id))


@pytest.mark.django_db
def test_watching_to_90_percent_completes_and_credits_once(setup):
    _course, lesson, learner = setup
    # given a learner who played 0–54 s of a 60 s lesson (90 %)
    token = start(learner, lesson, seconds_ago=120)
    out = send(learner, token, *[playing(i + 1, 6 * i, 6 * i) for i in range(10)])
    # then the lesson is complete and 1 学时 is in the ledger on the online channel
    assert out.completed and out.newly_completed and out.percent == 90
    [entry] = ledger(learner)
    assert (entry.hours, entry.channel, entry.source) == (
        Decimal("1"),
        Channel.ONLINE,
        f"lesson:{lesson.pk}",
    )
    # when they watch it again, on another device, and report more
    token2 = start(learner, lesson, seconds_ago=120)
    again = send(learner, token2, playing(1, 0, 0), playing(2, 6, 6), playing(3, 60, 60, "ended"))
    # then nothing more is credited
    assert again.completed and not again.newly_completed
    assert len(ledger(learner)) == 1
    # and the course (one lesson) is complete
    with unscoped():
        assert Enrollment.objects.get(cadre_id=learner.cadre_id).completed_at is not None
        assert AuditEntry.objects.filter(action="complete").count() == 1


@pytest.mark.django_db
def test_below_the_share_is_not_complete(setup):
    _course, lesson, learner = setup
    token = start(learner, lesson, seconds_ago=120)
    out = send(learner, token, *[playing(i + 1, 6 * i, 6 * i) for i in range(9)])  # 0–48 s: 80 %
    assert out.percent == 80 and not out.completed
    assert ledger(learner) == []


@pytest.mark.django_db
def test_a_hundred_percent_rule_needs_every_second(city, organizer):
    course, lesson = make_course(organizer, seconds=30, hours=Decimal("0.5"), percent=100)
    learner = make_learner(city.town_a1)
    enrolled(learner, course)
    token = start(learner, lesson, seconds_ago=60)
    out = send(learner, token, playing(1, 0, 0), playing(2, 10, 10), playing(3, 20, 20))
    assert not out.completed
    out = send(learner, token, playing(4, 30, 30, "ended"))
    assert out.completed and ledger(learner)[0].hours == Decimal("0.5")


@pytest.mark.django_db
def test_hours_follow_the_one_definition_when_the_lesson_sets_none(city, organizer):
    # given a 90-minute lesson with no hours set: 90 ÷ 45 = 2 学时 (core/hours.py)
    course, lesson = make_course(organizer, seconds=90 * 60, percent=50)
    learner = make_learner(city.town_a1)
    enrolled(learner, course)
    token = start(learner, lesson, seconds_ago=3600)
    send(learner, token, *[playing(i + 1, 60 * i, 60 * i) for i in range(46)])
    assert ledger(learner)[0].hours == Decimal("2")


@pytest.mark.django_db
def test_one_device_at_a_time_and_resume_anywhere(setup):
    _course, lesson, learner = setup
    # given the phone plays 0–20 s
    phone = start(learner, lesson, seconds_ago=60)
    send(learner, phone, playing(1, 0, 0), playing(2, 10, 10), playing(3, 20, 20, "paused"))
    # when the desktop opens the lesson, it resumes at 20 s
    with acting_as(learner):
        desk = services.play_start(actor=learner, lesson=lesson)
    assert desk.position_ms == 20_000
    age(desk.token, 60)
    # then the phone's later reports are refused, the desktop's count
    late = send(learner, phone, playing(4, 30, 30), playing(5, 40, 40))
    assert late.superseded and {r["reason"] for r in late.results} == {"superseded"}
    out = send(learner, desk.token, playing(1, 0, 15), playing(2, 10, 25), playing(3, 20, 35))
    # and the overlap (15–20 s) counts once: 0–35 s watched
    assert out.watched_ms == 35_000


@pytest.mark.django_db
def test_two_devices_playing_at_once_earn_wall_time_only(setup):
    _course, lesson, learner = setup
    a = start(learner, lesson, seconds_ago=30)
    b = start(learner, lesson, seconds_ago=30)  # supersedes a
    send(learner, a, playing(1, 0, 0), playing(2, 10, 10))
    out = send(learner, b, playing(1, 0, 0), playing(2, 10, 10))
    assert out.watched_ms == 10_000  # only b's 10 s; a earned nothing


@pytest.mark.django_db
def test_replayed_out_of_order_and_future_reports_credit_nothing(setup):
    _course, lesson, learner = setup
    token = start(learner, lesson, seconds_ago=20)
    send(learner, token, playing(1, 0, 0), playing(2, 10, 10))
    out = send(
        learner,
        token,
        playing(2, 10, 10),  # replayed
        playing(1, 0, 0),  # out of order
        playing(3, 600, 50),  # from the future: the server saw 20 s
        playing(4, 15, 90),  # beyond the 60 s video
    )
    assert [r["reason"] for r in out.results] == [
        "replayed",
        "out_of_order",
        "future",
        "beyond_length",
    ]
    assert out.watched_ms == 10_000


@pytest.mark.django_db
def test_a_page_lying_about_its_clock_gains_nothing(setup):
    _course, lesson, learner = setup
    token = start(learner, lesson, seconds_ago=10)
    # the page claims 60 s of playing right after starting; the server saw 10 s
    out = send(learner, token, playing(1, 0, 0), playing(2, 12, 12), playing(3, 13, 13))
    assert out.watched_ms <= 10_000 + 1_500 + 500  # wall time + tolerance + this test's own run


@pytest.mark.django_db
def test_not_enrolled_is_refused(city, organizer):
    _course, lesson = make_course(organizer, seconds=60)
    stranger = make_learner(city.town_b1, name="未选课者")
    with acting_as(stranger), pytest.raises(LearningError) as refused:
        services.play_start(actor=stranger, lesson=lesson)
    assert refused.value.code == "not_enrolled"
    with unscoped():
        assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_the_endpoints_answer_bad_input_with_a_code_never_a_500(setup, client, city):
    _course, lesson, learner = setup
    client.force_login(learner)
    started = client.post(f"/learning/lessons/{lesson.pk}/start/").json()
    url = "/learning/progress/"
    bodies = [
        b"not json",
        b"[1, 2]",
        json.dumps({"token": started["token"], "reports": "x"}).encode(),
        json.dumps({"token": started["token"], "reports": [{"seq": "1"}]}).encode(),
        json.dumps(
            {
                "token": started["token"],
                "reports": [{"seq": 1, "t": 1e300, "pos": 0, "state": "playing"}],
            }
        ).encode(),
        json.dumps(
            {
                "token": started["token"],
                "reports": [{"seq": True, "t": 0, "pos": 0, "state": "playing"}],
            }
        ).encode(),
    ]
    for body in bodies:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["code"] in {"bad_json", "bad_report"}
    unknown = client.post(url, {"token": "0" * 32, "reports": []}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_session"
    many = [{"seq": i, "t": 0, "pos": 0, "state": "paused"} for i in range(1, 200)]
    too_many = client.post(
        url, {"token": started["token"], "reports": many}, content_type="application/json"
    )
    assert too_many.status_code == 400 and too_many.json()["code"] == "too_many_reports"
    # another learner cannot use the token
    other = make_learner(city.town_a1, name="旁人")
    client.force_login(other)
    stolen = client.post(
        url, {"token": started["token"], "reports": []}, content_type="application/json"
    )
    assert stolen.status_code == 404
    # a learner not enrolled cannot start
    refused = client.post(f"/learning/lessons/{lesson.pk}/start/")
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled"


@pytest.mark.django_db
def test_the_integrity_report_lists_evidence_in_scope(setup, city, client):
    from ganxun.learning.models import PlaySession

    _course, lesson, learner = setup
    # given a learner whose page claims time that never passed, three times
    token = start(learner, lesson, seconds_ago=5)
    send(learner, token, playing(1, 0, 0), playing(2, 60, 5), playing(3, 61, 6), playing(4, 62, 7))
    # and who played on two devices at once three times
    for _ in range(3):
        a = start(learner, lesson, seconds_ago=10)
        send(learner, a, playing(1, 0, 0), playing(2, 5, 5))
        start(learner, lesson)
    # and five learners sharing one address
    with unscoped():
        PlaySession.objects.update(ip="10.1.2.3")
        others = [make_learner(city.town_a1, name=f"同址{i}") for i in range(4)]
    for other in others:
        enrolled(other, lesson.course)
        with acting_as(other):
            services.play_start(actor=other, lesson=lesson, ip="10.1.2.3")
    # then the town's unit contact sees all three, with the learner named
    client.force_login(make_user(city.town_a1, Role.UNIT_CONTACT))
    page = client.get("/learning/anomalies/").content.decode()
    assert page.count("学员甲") == 2 and "10.1.2.3" in page
    # and another county's contact sees none of it
    client.force_login(make_user(city.county_b, Role.UNIT_CONTACT))
    page = client.get("/learning/anomalies/").content.decode()
    assert "学员甲" not in page and "10.1.2.3" not in page
