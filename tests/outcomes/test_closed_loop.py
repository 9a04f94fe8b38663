"""The unit closed loop counts attendance, and organizers see completion across trainees and
units for every step (read / self-study / attended / summary submitted)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog.models import Material
from ganxun.programs import services
from tests.catalog.factories import make_material
from tests.factories import make_user
from tests.outcomes.factories import attend
from tests.programs.factories import make_program, make_session, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(setup, city):
    """周末知行学堂 as it runs now: a unit with a book, a case video and one class held this
    morning; 陈晓明 (东湖镇) checked in, read the book and filed his summary; 李强 (南岭乡) did
    nothing yet."""
    today = timezone.localdate()
    program = make_program(
        city.county_a,
        organizer=setup.organizer,
        name="周末知行学堂（第二期）",
        start=today - timedelta(days=3),
        end=today + timedelta(days=60),
    )
    from tests.programs.factories import enroll

    enroll(program, [setup.chen, setup.li])
    unit = make_unit(program, title="风险防范", summary_due=today + timedelta(days=30))
    book = make_material(city.county_a, "习近平关于防范风险挑战论述摘编")
    video = make_material(city.county_a, "应急处置案例课", kind=Material.Kind.VIDEO)
    unit.materials.through.objects.create(programunit=unit, material=book)
    unit.materials.through.objects.create(programunit=unit, material=video)
    ends = timezone.now() - timedelta(hours=1)
    session = make_session(program, ends - timedelta(hours=3), ends, unit=unit)
    attend(session, setup.chen)
    services.step_mark(actor=setup.trainee, unit=unit, kind="reading", material=book)
    services.step_mark(actor=setup.trainee, unit=unit, kind="summary", text="建立了汛期值守制度")
    return program, unit


def test_the_trainees_loop_counts_his_check_in(client, setup, loop):
    program, _unit = loop
    # when 陈晓明 opens his progress on his phone after checking in
    client.force_login(setup.trainee)
    page = client.get(reverse("programs:my_progress", args=[program.pk])).content.decode()
    # then the class counts: 1 of 1, by his check-in, and no stale placeholder
    step = page.split('data-testid="step-sessions"')[1].split("</li>")[0]
    assert "1/1" in step and "已签到 1 次" in step
    assert "考勤上线后" not in page


def test_organizers_see_completion_per_unit_and_per_work_unit(client, setup, loop):
    program, _unit = loop
    # when the organizer opens the program's closed-loop view
    client.force_login(setup.organizer)
    page = client.get(reverse("outcomes:loop", args=[program.pk]))
    html = page.content.decode()
    assert page.status_code == 200

    def row(table, label):
        body = html.split(f'data-testid="{table}"')[1].split("</table>")[0]
        cells = body.split(f">{label}</td>")[1].split("</tr>")[0]
        return [c.split(">")[-1] for c in cells.split("</td>")[:-1]]

    # then per unit: read 1/2, self-study 0/2, attended 1/2, summary 1/2
    assert row("loop-by-unit", "风险防范") == ["1/2", "0/2", "1/2", "1/2"]
    # and per work unit: 东湖镇 completed all but the video, 南岭乡 nothing
    assert row("loop-by-org", "东湖镇") == ["1/1", "0/1", "1/1", "1/1"]
    assert row("loop-by-org", "南岭乡") == ["0/1", "0/1", "0/1", "0/1"]


def test_the_completion_view_is_for_the_programs_managers(client, setup, loop, city):
    program, _unit = loop
    client.force_login(make_user(city.county_b, Role.ORGANIZER))
    response = client.get(reverse("outcomes:loop", args=[program.pk]))
    assert response.status_code in (403, 404)
