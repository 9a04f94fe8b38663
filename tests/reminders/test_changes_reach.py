"""A session change reaches exactly the affected people: when a class's time, room or lecturer
changes or it is cancelled, the organizer's confirmation (enrollment's 变更待通知) tells the
trainees expected at it, its lecturers — the one who no longer teaches it too — and the contacts
of those trainees' units; nobody else."""

from datetime import date, timedelta

import pytest

from ganxun.accounts.models import Role
from ganxun.core.models import Notice
from ganxun.core.scoping import unscoped
from ganxun.enrollment.models import ScheduleChange
from ganxun.enrollment.services.changes import changes_notify, changes_preview
from ganxun.programs.models import Program
from ganxun.programs.services.sessions import SessionData, session_cancel, session_save
from tests.catalog.factories import make_lecturer
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(city, town_contact):
    organizer = make_user(city.county_a, Role.ORGANIZER)
    program = make_program(
        city.county_a, organizer=organizer, name="周末知行学堂", status=Program.Status.OPEN
    )
    hall = make_venue(city.county_a, "县委党校报告厅")
    annex = make_venue(city.county_a, "县委党校二号教室")
    people = {}
    for key, unit in (("l1", city.county_a), ("l2", city.county_a), ("l3", city.county_a)):
        cadre = CadreFactory(unit=unit, name=f"老师{key}")
        people[key] = (cadre, make_lecturer(city.county_a, f"老师{key}", cadre=cadre))
    # batch 1: 东湖镇 and 南岭乡; batch 2: 东湖镇 and 南岭乡 too (not affected by batch 1's class)
    b1 = [CadreFactory(unit=city.town_a1, name="甲"), CadreFactory(unit=city.town_a2, name="乙")]
    b2 = [CadreFactory(unit=city.town_a1, name="丙"), CadreFactory(unit=city.town_a2, name="丁")]
    enroll(program, b1, batch=1)
    enroll(program, b2, batch=2)
    s1 = make_session(
        program,
        at(date(2030, 3, 2), 9),
        title="党的创新理论",
        batch=1,
        main_venue=hall,
        lecturers=[people["l1"][1]],
    )
    make_session(
        program,
        at(date(2030, 3, 3), 9),
        title="乡村振兴",
        batch=2,
        main_venue=hall,
        lecturers=[people["l2"][1]],
    )
    south = make_user(city.town_a2, Role.UNIT_CONTACT)
    west = make_user(city.town_b1, Role.UNIT_CONTACT)  # no trainee of this program
    return {
        "organizer": organizer,
        "program": program,
        "session": s1,
        "hall": hall,
        "annex": annex,
        "people": people,
        "b1": b1,
        "b2": b2,
        "contacts": {"east": town_contact, "south": south, "west": west},
    }


def _data(w, **changes) -> SessionData:
    s = w["session"]
    values = {
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "title": s.title,
        "batch": 1,
        "main_venue": w["hall"],
        "lecturers": [w["people"]["l1"][1]],
    }
    values.update(changes)
    return SessionData(**values)


def _change(w, what: str) -> None:
    s, actor = w["session"], w["organizer"]
    if what == "cancel":
        session_cancel(actor=actor, session=s)
        return
    changes = {
        "time": {
            "starts_at": s.starts_at + timedelta(hours=5),
            "ends_at": s.ends_at + timedelta(hours=5),
        },
        "room": {"main_venue": w["annex"]},
        "lecturer": {"lecturers": [w["people"]["l3"][1]]},
    }[what]
    session_save(
        actor=actor, program=w["program"], session=s, data=_data(w, **changes), accept_warnings=True
    )


@pytest.mark.parametrize("what", ["time", "room", "lecturer", "cancel"])
def test_a_session_change_reaches_exactly_the_affected_people(world, what):
    w = world
    # when the organizer changes batch 1's class
    _change(w, what)
    # then the change is recorded, nothing sent yet
    with unscoped():
        changes = list(ScheduleChange.objects.filter(program=w["program"]))
    assert changes, f"a {what} change must be recorded"
    with unscoped():
        assert Notice._base_manager.count() == 0
    # the preview names exactly the affected people
    lecturers = {w["people"]["l1"][0].pk}
    if what == "lecturer":
        lecturers.add(w["people"]["l3"][0].pk)  # the old and the new lecturer
    trainees = {c.pk for c in w["b1"]}
    contacts = {w["contacts"]["east"].pk, w["contacts"]["south"].pk}
    preview = changes_preview(w["program"], changes)
    assert {o.cadre_id for o in preview if o.cadre_id} == trainees | lecturers
    assert {o.user.pk for o in preview if o.user} == contacts
    # when the organizer confirms, each of them gets one notice, nobody else any
    changes_notify(actor=w["organizer"], program=w["program"], change_ids=[c.pk for c in changes])
    with unscoped():
        rows = list(Notice._base_manager.values_list("user_id", "cadre_id"))
    by_cadre = [c for u, c in rows if u is None or c]
    users = {u for u, c in rows if u}
    assert set(by_cadre) == trainees | lecturers
    assert len(by_cadre) == len(trainees | lecturers)  # one each (no accounts: kept by cadre)
    assert users == contacts
    assert w["contacts"]["west"].pk not in users
    assert not {c.pk for c in w["b2"]} & set(by_cadre)
    assert w["people"]["l2"][0].pk not in by_cadre
    # and the notice names what changed
    words = {"time": "时间由", "room": "地点由", "lecturer": "授课教师由", "cancel": "取消课程"}[
        what
    ]
    with unscoped():
        assert all(words in n.body for n in Notice._base_manager.all())
