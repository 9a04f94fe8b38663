"""Course proposals → selection rounds → the training menu, with several reviewers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog import selectors_proposals as sel
from ganxun.catalog import services
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer, MenuItem, Proposal, ProposalCall, RoundEntry
from ganxun.core.errors import NotFound, PermissionDenied
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from tests.catalog.factories import make_call, make_lecturer, make_theme
from tests.factories import make_org, make_user


@pytest.fixture
def ningbo(city):
    """The city's organizer, two reviewing leaders, and contacts of two city departments."""
    health = make_org(city.city, name="市卫健委", level="department")
    develop = make_org(city.city, name="市发改委", level="department")
    return {
        "organizer": make_user(city.city, Role.ORGANIZER, username="jiaowu"),
        "reviewers": [
            make_user(city.city, Role.REVIEWER, username="leader_a"),
            make_user(city.dept_city, Role.REVIEWER, username="leader_b"),
        ],
        "health": health,
        "develop": develop,
        "health_contact": make_user(health, Role.UNIT_CONTACT, username="wjw"),
        "develop_contact": make_user(develop, Role.UNIT_CONTACT, username="fgw"),
    }


def propose(contact, call, title, **extra):
    values = {
        "unit": contact.org,
        "title": title,
        "outline": "一、形势与要求\n二、案例剖析\n三、方法路径",
        "lecturer_name": "张平",
        "lecturer_title": "主任",
        "needs": "新提任干部缺少应急处置经验",
    }
    values.update(extra)
    return services.proposal_submit(actor=contact, call=call, data=services.ProposalData(**values))


def score_all(reviewers, entries, scores):
    for reviewer, row in zip(reviewers, scores, strict=True):
        for entry, score in zip(entries, row, strict=True):
            services.review_save(actor=reviewer, entry=entry, score=score, comment=f"{score}分")


def entries_of(rnd):
    with unscoped():
        return {
            e.proposal.title: e
            for e in RoundEntry.objects.filter(round=rnd).select_related("proposal")
        }


def status_of(proposal) -> str:
    with unscoped():
        return Proposal.objects.get(pk=proposal.pk).status


def test_two_departments_propose_and_two_rounds_produce_the_menu(ningbo, city):
    org, (r1, r2) = ningbo["organizer"], ningbo["reviewers"]
    theme = make_theme(city.city, "风险防范", "#1565c0")
    # given a call by the city's organizer with two reviewing leaders
    call = services.call_save(
        actor=org, call=None, title="周末知行学堂 专业课程征集", reviewers=[r1, r2]
    )
    # when two departments propose three courses
    epidemic = propose(ningbo["health_contact"], call, "市域疫情防控机制", theme=theme, form="case")
    propose(ningbo["develop_contact"], call, "数字化改革实务", lecturer_name="林雅莲")
    wealth = propose(ningbo["develop_contact"], call, "共同富裕路径", lecturer_name="金昕")
    # then each department sees only its own, the organizer sees all three
    assert [p.title for p in sel.my_proposals(ningbo["health_contact"])] == ["市域疫情防控机制"]
    assert sel.call_proposals(org, call).count() == 3

    # when the organizer opens 初选, submissions close and all three are under review
    first = services.round_open(actor=org, call=call, name="初选")
    assert status_of(epidemic) == Proposal.Status.REVIEWING
    with pytest.raises(CatalogError) as exc:
        propose(ningbo["health_contact"], call, "迟到的申报")
    assert exc.value.code == "call_closed"

    # and both reviewers score every proposal
    e = entries_of(first)
    score_all(
        [r1, r2],
        [e["市域疫情防控机制"], e["数字化改革实务"], e["共同富裕路径"]],
        [[90, 70, 50], [80, 60, 40]],
    )
    # then the organizer's board ranks by mean score and shows every review
    board = sel.round_entries(org, first)
    assert [(x.proposal.title, x.avg_score, len(x.shown_reviews)) for x in board] == [
        ("市域疫情防控机制", 85, 2),
        ("数字化改革实务", 65, 2),
        ("共同富裕路径", 45, 2),
    ]
    # while a reviewer sees only their own score on each
    assert [x.mine.score for x in sel.round_entries(r2, first)] == [80, 60, 40]
    assert all(len(x.shown_reviews) == 1 for x in sel.round_entries(r2, first))

    # when the organizer advances two and leaves one undecided, the round cannot close
    services.entry_decide(actor=org, entry=e["市域疫情防控机制"], decision="advanced")
    services.entry_decide(actor=org, entry=e["数字化改革实务"], decision="advanced")
    with pytest.raises(CatalogError) as exc:
        services.round_close(actor=org, rnd=first)
    assert exc.value.code == "undecided_entries" and "共同富裕路径" in exc.value.message
    services.entry_decide(
        actor=org, entry=e["共同富裕路径"], decision="rejected", note="与专题不符"
    )
    services.round_close(actor=org, rnd=first)
    assert status_of(wealth) == Proposal.Status.REJECTED

    # when 定稿 runs with the two that passed and one more is rejected
    final = services.round_open(actor=org, call=call, name="定稿")
    f = entries_of(final)
    assert set(f) == {"市域疫情防控机制", "数字化改革实务"}
    score_all([r1, r2], [f["市域疫情防控机制"], f["数字化改革实务"]], [[95, 55], [88, 58]])
    services.entry_decide(actor=org, entry=f["市域疫情防控机制"], decision="advanced")
    services.entry_decide(actor=org, entry=f["数字化改革实务"], decision="rejected")
    services.round_close(actor=org, rnd=final)
    result = services.menu_finalize(actor=org, call=call)

    # then the menu holds the one course, published in the city's catalogue with its lecturer
    assert result == {"courses": 1, "new_lecturers": 1}
    with unscoped():
        item = MenuItem.objects.select_related("course__theme").get(call=call)
        course = item.course
        lecturer = Lecturer.objects.get(courses=course)
        call.refresh_from_db()
    assert (course.title, course.status, course.owner, course.theme, course.form) == (
        "市域疫情防控机制",
        Course.Status.PUBLISHED,
        city.city,
        theme,
        "case",
    )
    assert (lecturer.name, lecturer.affiliation, lecturer.owner) == ("张平", "市卫健委", city.city)
    assert call.status == ProposalCall.Status.FINALIZED
    # and each department sees where its proposals ended
    mine = {
        p.title: (p.status, p.last_round.name) for p in sel.my_proposals(ningbo["develop_contact"])
    }
    assert mine == {
        "数字化改革实务": (Proposal.Status.REJECTED, "定稿"),
        "共同富裕路径": (Proposal.Status.REJECTED, "初选"),
    }
    assert status_of(epidemic) == Proposal.Status.SELECTED
    assert AuditEntry.objects.filter(
        object_type="catalog.course", object_id=str(course.pk)
    ).exists()
    # and a finalized call takes no more rounds
    with pytest.raises(CatalogError) as exc:
        services.round_open(actor=org, call=call, name="补充")
    assert exc.value.code == "call_finalized"


def test_a_lecturer_chosen_from_the_pool_teaches_the_menu_course(ningbo, city):
    org = ningbo["organizer"]
    pool = make_lecturer(city.city, "彭佳", affiliation="市委")
    call = make_call(city.city, organizer=org, reviewers=ningbo["reviewers"])
    propose(ningbo["health_contact"], call, "应急处置", lecturer=pool, lecturer_name="")
    rnd = services.round_open(actor=org, call=call, name="定稿")
    services.entry_decide(
        actor=org, entry=next(iter(entries_of(rnd).values())), decision="advanced"
    )
    services.round_close(actor=org, rnd=rnd)
    assert services.menu_finalize(actor=org, call=call)["new_lecturers"] == 0
    with unscoped():
        assert list(Course.objects.get(title="应急处置").lecturers.all()) == [pool]


def test_only_the_calls_reviewers_score_and_only_while_the_round_is_open(ningbo, city):
    org, (r1, _r2) = ningbo["organizer"], ningbo["reviewers"]
    call = make_call(city.city, organizer=org, reviewers=[r1])
    propose(ningbo["health_contact"], call, "基层治理")
    rnd = services.round_open(actor=org, call=call, name="初选")
    entry = next(iter(entries_of(rnd).values()))
    outsider = make_user(city.city, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.review_save(actor=outsider, entry=entry, score=80)
    with pytest.raises(CatalogError) as exc:
        services.review_save(actor=r1, entry=entry, score=120)
    assert exc.value.code == "invalid_score"
    services.review_save(actor=r1, entry=entry, score=70)
    services.review_save(actor=r1, entry=entry, score=75, comment="改后更好")  # changed, not added
    assert [(r.score, r.comment) for r in entry.reviews.all()] == [(75, "改后更好")]
    services.entry_decide(actor=org, entry=entry, decision="advanced")
    services.round_close(actor=org, rnd=rnd)
    with pytest.raises(CatalogError) as exc:
        services.review_save(actor=r1, entry=entry, score=10)
    assert exc.value.code == "round_closed"
    with pytest.raises(CatalogError) as exc:
        services.entry_decide(actor=org, entry=entry, decision="rejected")
    assert exc.value.code == "round_closed"


def test_rounds_must_follow_each_other_and_a_menu_needs_an_advanced_proposal(ningbo, city):
    org = ningbo["organizer"]
    call = make_call(city.city, organizer=org)
    with pytest.raises(CatalogError) as exc:
        services.round_open(actor=org, call=call, name="初选")
    assert exc.value.code == "no_candidates"
    with pytest.raises(CatalogError) as exc:
        services.menu_finalize(actor=org, call=call)
    assert exc.value.code == "no_rounds"
    propose(ningbo["health_contact"], call, "风险防范")
    rnd = services.round_open(actor=org, call=call, name="初选")
    for action in (
        lambda: services.round_open(actor=org, call=call, name="复选"),
        lambda: services.menu_finalize(actor=org, call=call),
    ):
        with pytest.raises(CatalogError) as exc:
            action()
        assert exc.value.code == "round_still_open"
    services.entry_decide(
        actor=org, entry=next(iter(entries_of(rnd).values())), decision="rejected"
    )
    services.round_close(actor=org, rnd=rnd)
    with pytest.raises(CatalogError) as exc:
        services.menu_finalize(actor=org, call=call)
    assert exc.value.code == "empty_menu"
    with unscoped():
        assert not Course.objects.exists()


def test_a_proposal_can_be_changed_or_withdrawn_only_before_review(ningbo, city):
    org, contact = ningbo["organizer"], ningbo["health_contact"]
    call = make_call(city.city, organizer=org)
    kept = propose(contact, call, "安全生产")
    gone = propose(contact, call, "疫苗管理")
    services.proposal_withdraw(actor=contact, proposal=gone)
    data = services.ProposalData(
        unit=contact.org, title="安全生产专题", outline="新提纲", lecturer_name="王强"
    )
    services.proposal_update(actor=contact, proposal=kept, data=data)
    rnd = services.round_open(actor=org, call=call, name="初选")
    assert set(entries_of(rnd)) == {"安全生产专题"}  # the withdrawn one does not enter review
    with pytest.raises(CatalogError) as exc:
        services.proposal_withdraw(actor=contact, proposal=kept)
    assert exc.value.code == "proposal_locked"
    # another department cannot touch it
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=ningbo["develop_contact"], proposal=kept)


def test_proposals_are_refused_after_the_deadline_and_from_units_outside_the_contacts_scope(
    ningbo, city
):
    call = make_call(city.city, organizer=ningbo["organizer"])
    with pytest.raises(CatalogError) as exc:
        propose(ningbo["health_contact"], call, "越权申报", unit=ningbo["develop"])
    assert exc.value.code == "unit_out_of_scope"
    with unscoped():
        ProposalCall.objects.filter(pk=call.pk).update(
            deadline=timezone.localdate() - timedelta(days=1)
        )
    call.refresh_from_db()
    with pytest.raises(CatalogError) as exc:
        propose(ningbo["health_contact"], call, "逾期申报")
    assert exc.value.code == "call_deadline_passed"
    with unscoped():
        assert not Proposal.objects.exists()


def test_another_countys_contact_cannot_see_a_countys_call(city):
    call = make_call(city.county_b)
    contact = make_user(city.town_a1, Role.UNIT_CONTACT)
    with pytest.raises(NotFound):
        sel.get_call_for(contact, call.pk)
    # while a township under 西山区 sees it (calls flow down the tree)
    below = make_user(city.town_b1, Role.UNIT_CONTACT)
    assert sel.get_call_for(below, call.pk) == call


def test_reviewers_must_be_leaders_or_organizers_in_scope(ningbo, city):
    trainee = make_user(city.city, Role.TRAINEE)
    other_county = make_user(city.county_b, Role.REVIEWER)
    county_organizer = make_user(city.county_a, Role.ORGANIZER)
    for bad in (trainee, other_county):
        with pytest.raises(CatalogError) as exc:
            services.call_save(
                actor=county_organizer, call=None, title="东江县课程征集", reviewers=[bad]
            )
        assert exc.value.code == "invalid_reviewer"
    with unscoped():
        assert not ProposalCall.objects.exists()


def test_the_reviewers_home_counter_opens_the_round_waiting_for_their_scores(ningbo, client):
    # given a call whose 初选 round is open with a proposal the leader has not scored
    org, (r1, _r2) = ningbo["organizer"], ningbo["reviewers"]
    call = services.call_save(
        actor=org, call=None, title="专业课程征集", reviewers=ningbo["reviewers"]
    )
    propose(ningbo["health_contact"], call, "市域疫情防控机制")
    first = services.round_open(actor=org, call=call, name="初选")
    # when the leader clicks the 待我评分 counter on the home page
    from ganxun.portal.dashboards import panels_for

    tile = next(t for p in panels_for(r1) for t in p.tiles if t.label == "待我评分")
    client.force_login(r1)
    page = client.get(tile.url)
    # then it lands on the round itself, where the proposal waits for a score
    assert tile.value == 1
    assert page.status_code == 200 and page.resolver_match.url_name == "round"
    assert page.context["round"].pk == first.pk
    assert "市域疫情防控机制" in page.content.decode()
