"""From free-text answers to confirmed common needs: the job, curation, confirmation, courses."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog.models import Course
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.needs import courses, curation, selectors, services
from ganxun.needs.analysis import dimension
from ganxun.needs.errors import NeedsError
from ganxun.needs.models import ClusterMember, ClusterRun, CommonNeed, NeedCluster, NeedCourse
from tests.factories import make_user
from tests.needs.conftest import full_answer, invite_all, person

ANSWERS = [
    ("section_main", "数字化改革怎么落地\n应急处置能力不足"),
    ("section_main", "1.数字化改革到底改什么 2.台风来了群众不肯转移怎么办"),
    ("section_main", "希望学习数字政府建设的经验"),
    ("general", "写材料抓不住重点" * 1 + "\n" + "写材料抓不住重点\n" * 49),  # pasted 50 times
    ("general", "公文写作的规范和技巧"),
    ("general", "😀😀😀"),
    ("general", "无"),
]


@pytest.fixture
def answered(admin, city, survey, questions):
    for rank, _text in ANSWERS:
        person(city.town_a1, rank=rank)
    services.needs_survey_open(
        actor=admin, survey=survey, closes_at=timezone.now() + timedelta(days=1)
    )
    for respondent, (_rank, text) in zip(invite_all(admin, survey), ANSWERS, strict=True):
        services.respondent_answer(
            respondent=respondent,
            data=full_answer(questions, text=text),
            submit=True,
            submission_key="k",
        )
    return survey


@pytest.fixture
def run(admin, answered, questions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, job = curation.cluster_run_start(
            actor=admin, survey=answered, question=questions["long_text"]
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    run.refresh_from_db()
    return run


def cluster_of(run, text_part) -> NeedCluster:
    with unscoped():
        return NeedCluster.objects.get(run=run, members__text__contains=text_part)


def test_the_job_splits_answers_counts_repeats_once_and_clusters(run):
    assert run.status == ClusterRun.Status.READY
    # 7 answers hold 7 needs (two answers hold two each; the pasted one counts once; emoji and 无
    # are set aside)
    assert run.skipped == {"duplicate": 49, "symbols_only": 1, "no_content": 1}
    assert run.statements == 7 and run.respondents == 7
    digital = cluster_of(run, "数字化改革怎么落地")
    assert digital.label == "数字化改革"
    with unscoped():
        assert set(digital.members.values_list("text", flat=True)) == {
            "数字化改革怎么落地",
            "数字化改革到底改什么",
            "希望学习数字政府建设的经验",
        }
        writing = cluster_of(run, "写材料")
        assert writing.members.count() == 2 and writing.label == "公文写作"


def test_group_shares_per_rank(run):
    views, groups = selectors.cluster_overview(run, dimension("rank"))
    assert [(label, n) for _key, label, n in groups] == [("乡科级正职", 3), ("一般干部", 4)]
    digital = next(v for v in views if v.cluster.label == "数字化改革")
    assert digital.people == 3 and digital.shares == {"section_main": 100.0, "general": 0.0}
    writing = next(v for v in views if v.cluster.label == "公文写作")
    assert writing.shares == {"section_main": 0.0, "general": 50.0}


def test_merge_split_rename_discard_then_confirm(admin, run):
    digital, emergency, writing = (
        cluster_of(run, t) for t in ("数字化改革怎么落地", "应急处置", "公文写作")
    )
    # merging digital and emergency keeps the larger one's label unless a new one is given
    merged = curation.clusters_merge(
        actor=admin, run=run, cluster_ids=[digital.pk, emergency.pk], label=""
    )
    assert merged.pk == digital.pk and merged.label == "数字化改革"
    # split the emergency statements back out under a new name
    with unscoped():
        ids = list(
            ClusterMember.objects.filter(cluster=merged, text__contains="转移").values_list(
                "pk", flat=True
            )
        )
        ids += list(
            ClusterMember.objects.filter(cluster=merged, text__contains="应急").values_list(
                "pk", flat=True
            )
        )
    split = curation.cluster_split(
        actor=admin, cluster=merged, member_ids=ids, label="应急处置能力"
    )
    curation.cluster_rename(actor=admin, cluster=writing, label="公文写作与材料提炼")
    curation.cluster_discard(actor=admin, cluster=writing)
    # confirming keeps the undiscarded clusters, ranked by people, with counts and examples
    needs = curation.run_confirm(actor=admin, run=run, shares=selectors.all_group_shares(run))
    assert [(n.position, n.label, n.respondent_count, n.statement_count) for n in needs] == [
        (1, "数字化改革", 3, 3),
        (2, "应急处置能力", 2, 2),
    ]
    assert needs[0].share == round(3 / 7, 4)
    assert needs[0].group_shares["职级"] == {"乡科级正职": 100.0, "一般干部": 0.0}
    assert len(needs[0].examples) == 3
    run.refresh_from_db()
    assert run.status == ClusterRun.Status.CONFIRMED and split.label == "应急处置能力"


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (
            lambda admin, run, c: curation.clusters_merge(actor=admin, run=run, cluster_ids=[c.pk]),
            "merge_needs_two",
        ),
        (
            lambda admin, run, c: curation.cluster_rename(actor=admin, cluster=c, label="  "),
            "required",
        ),
        (
            lambda admin, run, c: curation.cluster_rename(actor=admin, cluster=c, label="长" * 61),
            "label_too_long",
        ),
        (
            lambda admin, run, c: curation.cluster_split(
                actor=admin, cluster=c, member_ids=[], label="新"
            ),
            "split_needs_members",
        ),
        (
            lambda admin, run, c: curation.cluster_split(
                actor=admin,
                cluster=c,
                member_ids=list(c.members.values_list("pk", flat=True)),
                label="新",
            ),
            "split_all",
        ),
    ],
)
def test_curation_refusals_have_codes(admin, run, action, code):
    cluster = cluster_of(run, "数字化改革怎么落地")
    with unscoped(), pytest.raises(NeedsError) as refused:
        action(admin, run, cluster)
    assert refused.value.code == code


def test_starting_a_run_checks_question_and_k(admin, answered, questions, city):
    with pytest.raises(NeedsError) as refused:
        curation.cluster_run_start(actor=admin, survey=answered, question=questions["single"])
    assert refused.value.code == "not_text_question"
    with pytest.raises(NeedsError) as refused:
        curation.cluster_run_start(
            actor=admin, survey=answered, question=questions["long_text"], k=0
        )
    assert refused.value.code == "bad_k"
    with pytest.raises(PermissionDenied):
        curation.cluster_run_start(
            actor=make_user(city.county_b, Role.ADMIN),
            survey=answered,
            question=questions["long_text"],
        )


def test_needs_are_matched_to_courses_and_gaps_listed(client, admin, city, run):
    curation.run_confirm(actor=admin, run=run, shares={})
    digital_course = Course.objects.create(
        owner=city.city,
        title="数字化改革的实践与路径",
        summary="数字政府建设、应用场景谋划",
        status="published",
    )
    Course.objects.create(
        owner=city.city, title="乡村振兴专题", summary="强村富民", status="published"
    )
    # when suggestions are made
    needs = list(selectors.common_needs(admin, run.survey))
    assert courses.need_courses_suggest(actor=admin, needs=needs) >= 1
    digital = next(n for n in needs if n.label == "数字化改革")
    with unscoped():
        suggested = list(
            NeedCourse.objects.filter(need=digital).values_list("course__title", "status")
        )
    # then the digital course is suggested for the digital need, and nothing is confirmed yet
    assert suggested[0] == ("数字化改革的实践与路径", "suggested")
    client.force_login(admin)
    page = client.get(f"/needs/{run.survey.pk}/common-needs/").content.decode()
    assert "暂无，去对应" in page
    # and the list says that suggestions wait for a decision, beside the need they are for
    assert 'data-testid="suggestions-waiting"' in page
    badge = f'href="/needs/common-needs/{digital.pk}/courses/" data-testid="need-suggestions"'
    assert badge in page
    # when a person confirms it, the need is covered and the others remain gaps
    client.post(
        f"/needs/common-needs/{digital.pk}/courses/decide/",
        {"course": digital_course.pk, "status": "confirmed"},
    )
    page = client.get(f"/needs/{run.survey.pk}/common-needs/").content.decode()
    assert "数字化改革的实践与路径" in page
    assert (
        page.count("暂无，去对应")
        == CommonNeed.objects.visible_to(admin).filter(survey=run.survey).count() - 1
    )
    # the exported list holds each need's share as a number formatted as a percentage
    import io

    import openpyxl

    export = client.get(f"/needs/{run.survey.pk}/common-needs/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    shares = [r[3] for r in sheet.iter_rows(min_row=4) if r[0].value is not None]
    assert shares and all(isinstance(c.value, float) and 0 < c.value <= 1 for c in shares)
    assert all("%" in c.number_format for c in shares)
    # a repeated suggestion round keeps the decision
    courses.need_courses_suggest(actor=admin, needs=[digital])
    with unscoped():
        assert NeedCourse.objects.get(need=digital, course=digital_course).status == "confirmed"


def test_rank_courses_by_character_similarity():
    ranked = courses.rank_courses(
        "应急处置 台风来了群众不肯转移",
        [(1, "应急管理与突发事件处置 防汛防台"), (2, "公文写作技巧"), (3, "")],
    )
    assert ranked and ranked[0][0] == 1 and all(pk != 2 for pk, _s in ranked)


def test_run_pages_render_for_the_owner(client, admin, run):
    client.force_login(admin)
    page = client.get(f"/needs/runs/{run.pk}/", {"dim": "rank"}).content.decode()
    assert "数字化改革" in page and "乡科级正职" in page and "100.0%" in page
    cluster = cluster_of(run, "公文写作")
    assert (
        "写材料抓不住重点"
        in client.get(f"/needs/runs/{run.pk}/clusters/{cluster.pk}/").content.decode()
    )
    response = client.post(f"/needs/runs/{run.pk}/confirm/")
    assert response.status_code == 302 and response["Location"].endswith("/common-needs/")


def test_the_unsorted_bucket_is_confirmed_only_once_named(admin, run):
    with unscoped():
        bucket = NeedCluster.objects.create(run=run, label="其他（未归类）", is_other=True)
        ClusterMember.objects.create(
            cluster=bucket,
            respondent=ClusterMember.objects.filter(cluster__run=run).first().respondent,
            answer=ClusterMember.objects.filter(cluster__run=run).first().answer,
            text="档案管理",
        )
    labels = [n.label for n in curation.run_confirm(actor=admin, run=run, shares={})]
    assert "其他（未归类）" not in labels
    curation.cluster_rename(actor=admin, cluster=bucket, label="档案管理")
    assert "档案管理" in [n.label for n in curation.run_confirm(actor=admin, run=run, shares={})]


def test_need_courses_page_suggests_and_finds_courses_by_hand(client, admin, city, run):
    (need, *_rest) = curation.run_confirm(actor=admin, run=run, shares={})
    course = Course.objects.create(
        owner=city.city, title="公文写作实务", summary="", status="published"
    )
    client.force_login(admin)
    page = client.get(f"/needs/common-needs/{need.pk}/courses/", {"q": "公文"}).content.decode()
    assert "公文写作实务" in page and f"/catalog/courses/{course.pk}/" in page
    # a course that does not exist (or is out of view) cannot be linked, by code
    with pytest.raises(NeedsError) as refused:
        courses.need_course_decide(actor=admin, need=need, course_id=999_999, status="confirmed")
    assert refused.value.code == "no_course"
    # and an administrator of another county may not decide for this survey at all
    with pytest.raises(PermissionDenied):
        courses.need_course_decide(
            actor=make_user(city.county_a, Role.ADMIN),
            need=need,
            course_id=course.pk,
            status="confirmed",
        )


def test_the_finished_clustering_page_leads_to_the_clusters_to_check(admin, run, client):
    # given the clustering job has finished
    job = Job.objects.get(pk=run.job_id)
    # when the organizer looks at the job page
    client.force_login(admin)
    html = client.get(reverse("core:job", args=[job.pk])).content.decode()
    # then besides "请逐类核对后确认" there is a button to the clusters themselves
    assert "请逐类核对后确认" in html
    url = reverse("needs:run", args=[run.pk])
    assert f'href="{url}"' in html
    page = client.get(url)
    assert page.status_code == 200 and "数字化改革" in page.content.decode()
