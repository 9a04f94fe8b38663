"""The lecturer's brief (备课简报): before class, the needs the course answers, the trainees'
expectations, who is in the room, the pre-test questions most of them got wrong and earlier
published comments; after class, the ratings and the post-test gain. Figures hand-computed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.core.scoping import unscoped
from ganxun.evaluations.models import Assessment, AssessmentAttempt, BankQuestion
from ganxun.evaluations.selectors import brief as briefs
from ganxun.evaluations.selectors import session_comments
from ganxun.evaluations.services import comments_review, evaluation_submit
from ganxun.needs import services as needs_services
from ganxun.needs.models import CommonNeed, NeedCourse
from ganxun.orgs.models import Cadre, PersonnelCategory
from ganxun.programs.models import Consultation, Expectation, ProgramTrainee
from tests.evaluations.factories import form_post, make_attendance, past_window
from tests.factories import CadreFactory, make_user
from tests.programs.factories import enroll, make_program, make_session, make_unit

pytestmark = pytest.mark.django_db

R = Cadre.Rank


@pytest.fixture
def room(scene, city):
    """Twelve expected trainees: 东湖镇 7, 南岭乡 5; ranks 乡科级副职 6, 一般干部 5, 乡科级正职 1;
    公务员 10, 事业单位人员 2. Plus one self-selected trainee who is not expected."""
    extra = [CadreFactory(unit=city.town_a1, name=f"补充{i}") for i in range(3)]
    extra += [CadreFactory(unit=city.town_a2, name=f"补充{i}") for i in range(3, 5)]
    enroll(scene.program, extra)
    with unscoped():
        expected = list(
            ProgramTrainee.objects.filter(program=scene.program)
            .select_related("cadre")
            .order_by("cadre__unit__path", "cadre_id")
        )
        cadres = [t.cadre for t in expected]
        assert len(cadres) == 12
        civil = PersonnelCategory.objects.get(name="公务员")
        public = PersonnelCategory.objects.get(name="事业单位人员")
        ranks = [R.SECTION_DEPUTY] * 6 + [R.GENERAL] * 5 + [R.SECTION_MAIN]
        for i, (cadre, rank) in enumerate(zip(cadres, ranks, strict=True)):
            Cadre.objects.filter(pk=cadre.pk).update(
                rank=rank, personnel_category=public if i in (0, 7) else civil
            )
    walk_in = CadreFactory(unit=city.town_b1, name="选学学员")
    ProgramTrainee.objects.create(
        program=scene.program, cadre=walk_in, source=ProgramTrainee.Source.SELF_SELECTED
    )
    return {"cadres": cadres, "outsider": walk_in}


def _tests(scene, cadres, outsider):
    """Pre-test: Q1 5/10 right (exactly half wrong: not "most"), Q2 3/10 right, Q3 4/10 right.
    Post-test on Q2 and Q3: 8/10 and 7/10 right."""
    with unscoped():
        return _make_tests(scene, cadres, outsider)


def _make_tests(scene, cadres, outsider):
    unit = make_unit(scene.program, 1, title="应急管理")
    scene.session.unit = unit
    scene.session.save(update_fields=["unit"])
    owner = scene.program.org
    q1 = BankQuestion.objects.create(
        owner=owner,
        kind="truefalse",
        text="突发事件发生后应先报告再处置",
        options=["正确", "错误"],
        correct=[1],
    )
    q2 = BankQuestion.objects.create(
        owner=owner,
        kind="single",
        text="较大突发事件应在多长时间内向上级报告信息",
        options=["1小时", "2小时", "4小时", "24小时"],
        correct=[2],
    )
    q3 = BankQuestion.objects.create(
        owner=owner,
        kind="multiple",
        text="乡镇应急预案应包括哪些内容",
        options=["组织体系", "预警机制", "招商引资", "绩效奖金"],
        correct=[0, 1],
    )
    pre = Assessment.objects.create(
        program=scene.program, unit=unit, kind="pre", title="应急管理前测", status="closed"
    )
    pre.questions.set([q1, q2, q3])
    ten = cadres[:10]
    for i, cadre in enumerate(ten):
        answers = {
            str(q1.pk): [1] if i < 5 else [0],
            str(q2.pk): [2] if i < 3 else [0],
            str(q3.pk): [0, 1] if i < 4 else [0],
        }
        AssessmentAttempt.objects.create(
            assessment=pre,
            cadre=cadre,
            answers=answers,
            score=0,
            max_score=3,
            percent=0,
            passed=False,
        )
    # the self-selected trainee is not expected at this session: their attempt does not count
    AssessmentAttempt.objects.create(
        assessment=pre,
        cadre=outsider,
        answers={str(q1.pk): [0]},
        score=0,
        max_score=3,
        percent=0,
        passed=False,
    )
    post = Assessment.objects.create(
        program=scene.program, unit=unit, kind="post", title="应急管理后测", status="closed"
    )
    post.questions.set([q2, q3])
    for i, cadre in enumerate(ten):
        answers = {str(q2.pk): [2] if i < 8 else [1], str(q3.pk): [0, 1] if i < 7 else [1]}
        AssessmentAttempt.objects.create(
            assessment=post,
            cadre=cadre,
            answers=answers,
            score=0,
            max_score=2,
            percent=0,
            passed=False,
        )
    return q1, q2, q3


def _needs(scene, admin, city):
    survey = needs_services.needs_survey_create(
        actor=admin, org=city.county_a, template="needs_default"
    )
    shares = {
        "职级": {"乡科级正职": 52.4, "乡科级副职": 31.0, "一般干部": 12.5},
        "年龄段": {"35岁以下": 40.0, "36-45岁": 28.6},
    }
    answered = CommonNeed.objects.create(
        survey=survey,
        position=2,
        label="突发事件应急处置能力",
        respondent_count=37,
        statement_count=41,
        share=0.3083,
        examples=["遇到汛情不知道先干什么"],
        group_shares=shares,
        confirmed_by=admin,
    )
    only_suggested = CommonNeed.objects.create(
        survey=survey,
        position=1,
        label="数字化改革",
        respondent_count=50,
        statement_count=60,
        share=0.41,
        confirmed_by=admin,
    )
    NeedCourse.objects.create(need=answered, course=scene.course, status="confirmed")
    NeedCourse.objects.create(need=only_suggested, course=scene.course, status="suggested")
    west = needs_services.needs_survey_create(
        actor=admin, org=city.county_b, template="needs_default"
    )
    elsewhere = CommonNeed.objects.create(
        survey=west,
        position=1,
        label="西山区的需求",
        respondent_count=9,
        statement_count=9,
        share=0.2,
        confirmed_by=admin,
    )
    NeedCourse.objects.create(need=elsewhere, course=scene.course, status="confirmed")


def _consultation(scene, cadres):
    reps = list(ProgramTrainee.objects.filter(program=scene.program, cadre__in=cadres[:2]))
    held = Consultation.objects.create(
        session=scene.session,
        held_on=scene.session.starts_at.date() - timedelta(days=3),
        organizer=scene.organizer,
        lecturer=scene.lecturer,
        direction="以今年汛期两起险情为案例，讲清先期处置的流程",
        adjustments="增加30分钟分组推演",
    )
    Expectation.objects.create(
        consultation=held, representative=reps[0], text="想听听村里转移群众具体怎么组织"
    )
    Expectation.objects.create(
        consultation=held, representative=reps[1], text="希望讲讲信息报送的时限和口径"
    )


def _earlier_session(scene, city):
    """The same lecturer taught the same course in last year's cohort: five forms, one
    suggestion published, one kept private."""
    other = make_program(city.county_a, organizer=scene.organizer, name="东江县青年干部班第1期")
    starts, ends = past_window(hours_ago=30)
    earlier = make_session(
        other, starts, ends, title="应急处置实务", lecturers=[scene.lecturer], course=scene.course
    )
    people = [CadreFactory(unit=city.town_a1, name=f"往期学员{i}") for i in range(5)]
    enroll(other, people)
    texts = ["案例很鲜活，建议增加情景模拟", "", "", "", "节奏太快，跟不上"]
    for cadre, text in zip(people, texts, strict=True):
        user = make_user(cadre.unit, Role.TRAINEE, cadre=cadre)
        make_attendance(earlier, cadre)
        evaluation_submit(actor=user, session=earlier, data=form_post(other, text=text))
    ids = {c["text"]: c["id"] for c in session_comments(earlier)}
    comments_review(
        actor=scene.organizer, session=earlier, answer_ids=[ids[texts[0]]], status="published"
    )
    comments_review(
        actor=scene.organizer, session=earlier, answer_ids=[ids[texts[4]]], status="private"
    )
    return earlier


def _ratings(scene):
    """Five forms: four give 5,4,4,5,5 and one 3,3,3,3,3 → 主题 (5·4+3)/5 = 4.6."""
    for trainee in scene.trainees[:4]:
        evaluation_submit(actor=trainee, session=scene.session, data=form_post(scene.program))
    evaluation_submit(
        actor=scene.trainees[4],
        session=scene.session,
        data=form_post(scene.program, scores=(3, 3, 3, 3, 3)),
    )


def test_the_brief_figures_match_the_data(client, scene, city, admin, room):
    # given needs, a consultation, a room of twelve, pre- and post-tests, an earlier session
    _q1, q2, q3 = _tests(scene, room["cadres"], room["outsider"])
    with unscoped():
        _needs(scene, admin, city)
        _consultation(scene, room["cadres"])
        _earlier_session(scene, city)
        _ratings(scene)
        # when the lecturer reads the brief (the session ended an hour ago)
        data = briefs.brief(scene.lecturer_user, scene.session)

    # the confirmed need of the program's county, with the groups that raised it most
    assert [n["label"] for n in data["needs"]] == ["突发事件应急处置能力"]
    need = data["needs"][0]
    assert need["respondents"] == 37 and need["percent"] == 30.8
    by_dim = {g["dimension"]: g["top"] for g in need["groups"]}
    assert [t["group"] for t in by_dim["职级"]] == ["乡科级正职", "乡科级副职", "一般干部"]
    # the expectations, without the representatives' names
    assert data["consultation"]["expectations"] == [
        "想听听村里转移群众具体怎么组织",
        "希望讲讲信息报送的时限和口径",
    ]
    # who is in the room: twelve; groups under five counted, not named
    r = data["room"]
    assert r["total"] == 12
    assert [(g.label, g.count) for g in r["units"].groups] == [("东湖镇", 7), ("南岭乡", 5)]
    assert [(g.label, g.count) for g in r["ranks"].groups] == [("乡科级副职", 6), ("一般干部", 5)]
    assert (r["ranks"].small_people, r["ranks"].small_groups) == (1, 1)
    assert [(g.label, g.count) for g in r["categories"].groups] == [("公务员", 10)]
    assert r["categories"].small_people == 2
    # the pre-test: Q2 (7 of 10 wrong) and Q3 (6 of 10); Q1 exactly half is not "most"
    t = data["tests"]
    assert t["attempts"] == 10
    assert [(h["id"], h["wrong"], h["wrong_pct"]) for h in t["questions"]] == [
        (q2.pk, 7, 70.0),
        (q3.pk, 6, 60.0),
    ]
    # after class: post-test right shares 80% and 70% → gains 50 and 30 points
    assert [(h["post_right_pct"], h["gain"]) for h in t["questions"]] == [
        (80.0, 50.0),
        (70.0, 30.0),
    ]
    # earlier comments of the same course: the published one only
    assert [e["comments"] for e in data["earlier"]] == [["案例很鲜活，建议增加情景模拟"]]
    # ratings: five forms, 主题 4.6
    assert data["results"]["responses"] == 5
    assert data["results"]["by_question"][0]["mean"] == 4.6

    # and the page shows it to the lecturer, printable
    client.force_login(scene.lecturer_user)
    body = client.get(reverse("evaluations:session_brief", args=[scene.session.pk])).content
    body = body.decode()
    assert (
        "突发事件应急处置能力" in body and "数字化改革" not in body and "西山区的需求" not in body
    )
    assert "较大突发事件应在多长时间内向上级报告信息" in body
    assert "提升 50.0 个百分点" in body
    assert "节奏太快" not in body
    assert "学员1" not in body and "补充0" not in body
    assert "css/brief.css" in body


def test_an_honest_empty_brief_for_a_session_without_course_tests_or_consultation(client, scene):
    scene.session.course = None
    scene.session.save(update_fields=["course"])
    client.force_login(scene.lecturer_user)
    page = client.get(reverse("evaluations:session_brief", args=[scene.session.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "本课次未关联课程" in body
    assert "本单元没有前测" in body
    assert "本课次还没有三方研议记录" in body


def test_only_the_sessions_lecturer_and_the_programs_organizers_read_the_brief(client, scene, city):
    url = reverse("evaluations:session_brief", args=[scene.session.pk])
    client.force_login(scene.organizer)
    assert client.get(url).status_code == 200
    client.force_login(scene.trainees[0])
    assert client.get(url).status_code in (403, 404)
    west = make_user(city.county_b, Role.ORGANIZER)
    client.force_login(west)
    assert client.get(url).status_code in (403, 404)
    # the lecturer reaches it from the session's outline section and, for the next class,
    # from 我的授课 and the home page
    client.force_login(scene.lecturer_user)
    outline = client.get(reverse("programs:session", args=[scene.session.pk])).content.decode()
    assert url in outline
    starts = timezone.now() + timedelta(days=2)
    upcoming = make_session(
        scene.program, starts, title="应急处置实务（二）", lecturers=[scene.lecturer]
    )
    next_url = reverse("evaluations:session_brief", args=[upcoming.pk])
    assert next_url in client.get(reverse("programs:teaching")).content.decode()
    assert next_url in client.get(reverse("home")).content.decode()


def test_pre_test_figures_wait_for_the_threshold(scene, room):
    _tests(scene, room["cadres"], room["outsider"])
    with unscoped():
        AssessmentAttempt.objects.filter(cadre__in=room["cadres"][4:10]).delete()
        data = briefs.hard_questions(scene.session)
    assert data["attempts"] == 4 and data["hidden"] is True
    assert "questions" not in data
