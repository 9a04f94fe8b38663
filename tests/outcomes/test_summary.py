"""The four-level summary with known values: reaction and learning from evaluations,
behaviour from follow-up ratings, results from accepted outcomes summed per unit of measure."""

from datetime import date
from decimal import Decimal

import pytest

from ganxun.outcomes.models import Outcome
from ganxun.outcomes.summary import program_summary
from tests.outcomes.factories import (
    attempt,
    attend,
    evaluate,
    make_certificate,
    make_followup,
    make_outcome,
    post_test,
)
from tests.programs.factories import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(setup):
    s = setup
    session = make_session(s.program, at(date(2025, 3, 8), 9))
    for cadre, score in ((s.chen, 4.0), (s.wang, 5.0)):
        attend(session, cadre)
        evaluate(session, cadre, score)
    attend(session, s.li)  # attended, no form: 2 of 3 expected forms
    pre, post = post_test(s.program, kind="pre"), post_test(s.program)
    attempt(pre, s.chen, 50)
    attempt(post, s.chen, 80)
    attempt(pre, s.wang, 60)
    attempt(post, s.wang, 70)
    for rating, who in ((5, s.chen), (4, s.wang), (2, s.li), (4, s.chen)):
        make_followup(s.program, rating, [who])
    accepted = Outcome.Status.ACCEPTED
    make_outcome(
        s.program,
        s.chen,
        status=accepted,
        kind="project",
        effect_value=Decimal("10"),
        effect_unit="个",
    )
    make_outcome(
        s.program,
        s.wang,
        status=accepted,
        kind="project",
        effect_value=Decimal("2.5"),
        effect_unit=" 个 ",
    )
    make_outcome(
        s.program,
        s.li,
        status=accepted,
        kind="decision",
        effect_value=Decimal("35"),
        effect_unit="万元",
    )
    make_outcome(
        s.program,
        s.li,
        status=Outcome.Status.SUBMITTED,
        effect_value=Decimal("99"),
        effect_unit="个",
    )
    make_outcome(s.program, s.li, status=Outcome.Status.RETURNED, kind="case")
    make_certificate(s.program, s.chen)
    return s


def test_the_four_levels_with_known_values(known):
    s = program_summary(known.program)
    assert (s.trainees, s.graduates) == (3, 1)
    assert s.reaction["responses"] == 2 and s.reaction["mean"] == pytest.approx(4.5)
    assert (s.learning["pre_mean"], s.learning["post_mean"], s.learning["gain"]) == (
        55.0,
        75.0,
        20.0,
    )
    b = s.behaviour
    assert (b.count, b.mean, b.good_share, b.cadres_seen) == (4, 3.75, 0.75, 3)
    assert b.by_rating == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
    r = s.results
    assert (r.accepted, r.pending) == (3, 1)
    assert {k["kind"]: k["count"] for k in r.by_kind} == {
        "decision": 1,
        "project": 2,
        "mechanism": 0,
        "case": 0,
        "other": 0,
    }
    assert r.effects == [
        {"unit": "个", "total": "12.5", "count": 2},
        {"unit": "万元", "total": "35", "count": 1},
    ]


def test_the_page_shows_the_headlines_leaders_quote(client, known):
    client.force_login(known.organizer)
    page = client.get(f"/outcomes/programs/{known.program.pk}/").content.decode()
    assert "参训学员 3 人，结业 1 人。" in page
    assert "人均提高 20.0 分" in page
    assert "学以致用评分平均 3.8 分，75% 评为良好以上" in page
    assert (
        "采纳学用成果 3 项（决策/政策文件 1 项、项目 2 项），累计 12.5 个、累计 35 万元。" in page
    )


def test_an_empty_program_has_a_summary_without_figures(client, setup):
    client.force_login(setup.organizer)
    response = client.get(f"/outcomes/programs/{setup.program.pk}/")
    assert response.status_code == 200 and "参训学员 3 人，结业 0 人。" in response.content.decode()
