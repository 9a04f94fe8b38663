"""Batches for a program in the database: the solver as a background job, hand edits
re-checked, classrooms assigned with overflow reported, the CLI on a program."""

import json

import pytest
from django.core.management import call_command

from ganxun.core.errors import PermissionDenied
from ganxun.core.models import Job
from ganxun.orgs.models import Cadre
from ganxun.programs import services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Program, ProgramTrainee
from tests.factories import CadreFactory, make_org, make_user
from tests.programs.factories import enroll


def township(parent, name, size, *, leaders=True):
    """A township with ``size`` active cadres: its secretary and head first."""
    org = make_org(parent, name=name, level="township")
    roles = ["secretary", "head"] if leaders else []
    roles += [""] * (size - len(roles))
    return org, [CadreFactory(unit=org, leader_role=role) for role in roles]


def rows(program) -> list[ProgramTrainee]:
    return list(ProgramTrainee._base_manager.filter(program=program).select_related("cadre"))


def solve(setup, capture, *, batches=2, share=0.4, apply=True) -> Job:
    """Run the solver; with ``apply``, confirm its split as the organizer would."""
    with capture(execute=True):
        job = services.batch_solve_start(
            actor=setup.organizer, program=setup.program, batches=batches, min_on_duty=share
        )
    job.refresh_from_db()
    if apply and job.result.get("proposal"):
        program = Program._base_manager.get(pk=setup.program.pk)
        services.batch_apply(actor=setup.organizer, program=program)
    return job


@pytest.mark.django_db
def test_the_solver_job_splits_the_trainees_and_records_the_verdict(
    setup, city, django_capture_on_commit_callbacks
):
    # given two townships whose whole staff are trainees
    _a, east = township(city.county_a, "东风镇", 6)
    _b, west = township(city.county_a, "西岭乡", 5)
    enroll(setup.program, east + west)
    # when the organizer runs the solver for 2 batches, 40 % on duty
    job = solve(setup, django_capture_on_commit_callbacks)
    # then the job succeeded and every trainee has a batch that keeps the rules
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert "最优" in job.message and job.result["status"] == "optimal"
    split = {t.cadre_id: t.batch for t in rows(setup.program)}
    assert set(split.values()) == {1, 2}
    for people in (east, west):
        assert split[people[0].pk] != split[people[1].pk]  # secretary and head apart
        per_batch = [sum(1 for c in people if split[c.pk] == b) for b in (1, 2)]
        assert max(per_batch) <= len(people) - -(-4 * len(people) // 10)
    program = Program._base_manager.get(pk=setup.program.pk)
    assert program.batch_count == 2 and program.last_solve["status"] == "optimal"
    assert services.program_violations(program) == []


@pytest.mark.django_db
def test_an_infeasible_split_changes_nothing_and_names_the_unit(
    setup, city, django_capture_on_commit_callbacks
):
    _a, east = township(city.county_a, "东风镇", 6)
    pair_org, pair = township(city.county_a, "小岭村", 2, leaders=False)
    enroll(setup.program, east + pair, batch=None)
    # 3 batches, 60 % on duty: 小岭村's 2 people can never leave
    job = solve(setup, django_capture_on_commit_callbacks, batches=3, share=0.6)
    assert job.status == Job.Status.SUCCEEDED
    program = Program._base_manager.get(pk=setup.program.pk)
    assert program.last_solve["status"] == "infeasible"
    assert any(r.startswith("小岭村：") for r in program.last_solve["reasons"])
    assert program.batch_count == 1  # unchanged
    assert all(t.batch is None for t in rows(setup.program))
    assert pair_org.name == "小岭村"


@pytest.mark.django_db
def test_a_unit_with_no_leaders_recorded_is_warned_and_still_split(
    setup, city, django_capture_on_commit_callbacks
):
    _org, people = township(city.county_a, "无领导镇", 6, leaders=False)
    enroll(setup.program, people)
    job = solve(setup, django_capture_on_commit_callbacks)
    assert job.result["status"] == "optimal"
    assert "无领导镇" in job.result["warnings"][0]
    assert {t.batch for t in rows(setup.program)} == {1, 2}


@pytest.mark.django_db
def test_the_roster_headcount_lets_a_small_delegation_take_part(
    setup, city, django_capture_on_commit_callbacks
):
    # given a department with 10 cadres of whom only 1 is a trainee
    dept = make_org(city.county_a, name="县发改局", level="department")
    staff = [CadreFactory(unit=dept) for _ in range(10)]
    enroll(setup.program, staff[:1])
    job = solve(setup, django_capture_on_commit_callbacks)
    assert job.result["status"] == "optimal"
    # a retired colleague does not count as on duty
    Cadre.objects.visible_to(setup.organizer).filter(pk__in=[c.pk for c in staff[1:]]).update(
        status=Cadre.Status.RETIRED
    )
    job = solve(setup, django_capture_on_commit_callbacks)
    assert job.result["status"] == "infeasible" and "县发改局" in job.result["reasons"][0]


@pytest.mark.django_db
def test_bad_requests_are_refused_before_a_job_starts(setup, city):
    with pytest.raises(ProgramError) as caught:
        services.batch_solve_start(
            actor=setup.organizer, program=setup.program, batches=2, min_on_duty=0.4
        )
    assert caught.value.code == "no_trainees"
    enroll(setup.program, [CadreFactory(unit=city.town_a1)])
    with pytest.raises(ProgramError) as caught:
        services.batch_solve_start(
            actor=setup.organizer, program=setup.program, batches=2, min_on_duty=1.5
        )
    assert caught.value.code == "invalid_batch_params"
    outsider = make_user(city.county_b, "organizer")
    with pytest.raises(PermissionDenied):
        services.batch_solve_start(actor=outsider, program=setup.program, batches=2, min_on_duty=0)
    assert not Job.objects.filter(kind="program_batches").exists()


@pytest.mark.django_db
def test_moving_a_trainee_by_hand_is_rechecked_at_once(setup, city):
    setup.program.batch_count = 2
    setup.program.save()
    _org, people = township(city.county_a, "东风镇", 4)
    secretary, head, m1, m2 = enroll(setup.program, people)
    for row, batch in ((secretary, 1), (head, 2), (m1, 1), (m2, 2)):
        row.batch = batch
        row.save()
    assert services.program_violations(setup.program) == []
    found = services.trainee_set_batch(actor=setup.organizer, trainee=head, batch=1)
    assert "东风镇：书记和行政正职都在第1批。" in found
    assert any(v.startswith("东风镇：第1批去了 3 人") for v in found)
    with pytest.raises(ProgramError):
        services.trainee_set_batch(actor=setup.organizer, trainee=head, batch=3)


@pytest.mark.django_db
def test_trainees_go_to_the_sub_classroom_serving_their_area_and_overflow_is_reported(setup, city):
    # given a main hall of 2 seats and 东湖镇's video room of 2 seats, one batch
    setup.hall.capacity = 2
    setup.hall.save()
    setup.program.main_venue = setup.hall
    setup.program.save()
    setup.program.sub_venues.through.objects.create(program=setup.program, venue=setup.video)
    east = [CadreFactory(unit=city.village_a1) for _ in range(3)]  # under 东湖镇
    south = [CadreFactory(unit=city.town_a2) for _ in range(2)]  # 南岭乡: no video room
    enroll(setup.program, east + south)
    result = services.venues_assign(actor=setup.organizer, program=setup.program)
    venue_of = {t.cadre_id: t.venue_id for t in rows(setup.program)}
    # then two of 东湖镇 sit in their video room; the third and 南岭乡 fill the hall…
    assert sorted(venue_of[c.pk] for c in east).count(setup.video.pk) == 2
    assert result["assigned"] == {setup.video.pk: 2, setup.hall.pk: 2}
    # …and one person cannot be seated, by unit
    assert result["overflow"] == [("南岭乡", 1)]


@pytest.mark.django_db
def test_cli_solves_a_program_from_the_database(setup, city, capsys):
    _org, people = township(city.county_a, "东风镇", 4)
    enroll(setup.program, people)
    call_command("solve-batches", str(setup.program.pk), "--batches", "2", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "optimal"
    assert set(out["batches"]) == {str(c.pk) for c in people}
    assert out["batches"][str(people[0].pk)] != out["batches"][str(people[1].pk)]
