"""Sessions: conflict checks on every change, recurring series saved whole or not at all."""

from datetime import date, time

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry
from ganxun.programs import recurrence, services
from ganxun.programs.errors import ProgramError
from ganxun.programs.models import Session
from ganxun.programs.services import ConflictError, SeriesData, SessionData
from tests.factories import CadreFactory, make_user
from tests.programs.factories import at, enroll, make_program, make_session

SAT = date(2030, 3, 9)  # a Saturday


def data(s, day=SAT, start=9, end=12, **extra) -> SessionData:
    extra.setdefault("title", "风险防范与应急处置")
    extra.setdefault("lecturers", [s.zhang])
    extra.setdefault("main_venue", s.hall)
    extra.setdefault("unit", s.march)
    return SessionData(starts_at=at(day, start), ends_at=at(day, end), **extra)


def save(s, d, **kw):
    return services.session_save(actor=s.organizer, program=s.program, data=d, **kw)


def kinds(exc) -> set[str]:
    return {c.kind for c in exc.value.conflicts}


@pytest.mark.django_db
class TestConflicts:
    def test_a_clean_session_is_saved_and_audited(self, setup):
        session, warnings = save(setup, data(setup))
        assert warnings == []
        assert session.title == "风险防范与应急处置" and session.unit == setup.march
        through = Session.lecturers.through.objects.filter(session=session)
        assert list(through.values_list("lecturer__name", flat=True)) == ["张平"]
        entry = AuditEntry.objects.filter(object_type="programs.session").get()
        assert entry.action == "create" and entry.changes["lecturers"] == [None, ["张平"]]

    def test_a_lecturer_in_two_places_at_once_blocks_and_names_the_other_session(self, setup, city):
        # given the lecturer teaching in another county's program that morning
        other = make_program(city.county_b, name="西山区干部班")
        make_session(other, at(SAT, 10), at(SAT, 11), lecturers=[setup.zhang], title="西山的课")
        # when the organizer schedules the same lecturer at 9–12
        with pytest.raises(ConflictError) as caught:
            save(setup, data(setup))
        # then it is refused; the other org's session is described without its title
        assert caught.value.blocking and kinds(caught) == {"lecturer_busy"}
        item = caught.value.conflicts[0].items[0]
        assert "其他单位组织的课次" in item["label"] and "西山的课" not in item["label"]
        assert (
            not Session.objects.visible_to(setup.organizer).filter(program=setup.program).exists()
        )

    def test_a_double_booked_classroom_blocks(self, setup):
        make_session(setup.program, at(SAT, 11), at(SAT, 13), main_venue=setup.hall, title="上一场")
        with pytest.raises(ConflictError) as caught:
            save(setup, data(setup, lecturers=[setup.li]))
        assert kinds(caught) == {"venue_busy"}
        assert "上一场" in caught.value.conflicts[0].items[0]["label"]

    def test_a_sub_venue_shared_by_two_sessions_blocks(self, setup):
        make_session(setup.program, at(SAT, 9), sub_venues=[setup.video], batch=None)
        d = data(setup, main_venue=None, sub_venues=[setup.video], lecturers=[setup.li])
        with pytest.raises(ConflictError) as caught:
            save(setup, d)
        assert "venue_busy" in kinds(caught)

    def test_back_to_back_sessions_do_not_conflict(self, setup):
        make_session(
            setup.program, at(SAT, 12), at(SAT, 14), main_venue=setup.hall, lecturers=[setup.zhang]
        )
        session, warnings = save(setup, data(setup))
        assert session.pk and warnings == []

    def test_outside_the_unit_dates_blocks(self, setup):
        with pytest.raises(ConflictError) as caught:
            save(setup, data(setup, day=date(2030, 4, 6)))
        assert kinds(caught) == {"outside_unit"}
        assert "风险防范" in caught.value.conflicts[0].message

    def test_over_capacity_and_missing_lecturer_are_warnings_the_organizer_may_accept(
        self, setup, city
    ):
        setup.hall.capacity = 2
        setup.hall.save()
        enroll(setup.program, [CadreFactory(unit=city.town_a1) for _ in range(3)])
        d = data(setup, lecturers=[])
        with pytest.raises(ConflictError) as caught:
            save(setup, d)
        assert not caught.value.blocking
        assert kinds(caught) == {"over_capacity", "no_lecturer"}
        assert "超出 1 人" in next(
            c.message for c in caught.value.conflicts if c.kind == "over_capacity"
        )
        session, warnings = save(setup, data(setup, lecturers=[]), accept_warnings=True)
        assert session.pk and len(warnings) == 2

    def test_trainees_in_two_programs_at_once_are_a_warning_naming_them(self, setup, city):
        cadre = CadreFactory(unit=city.town_a1, name="王小明")
        enroll(setup.program, [cadre])
        other = make_program(city.county_a, name="年轻干部班")
        enroll(other, [cadre])
        make_session(other, at(SAT, 8), at(SAT, 10), title="年轻干部班开班")
        with pytest.raises(ConflictError) as caught:
            save(setup, data(setup))
        assert kinds(caught) == {"trainee_busy"}
        assert "王小明" in caught.value.conflicts[0].message

    def test_batches_of_one_program_at_the_same_time_do_not_conflict(self, setup, city):
        # the whole point of staggering: batch 1 and batch 2 may be taught at once, elsewhere
        setup.program.batch_count = 2
        setup.program.save()
        first = enroll(setup.program, [CadreFactory(unit=city.town_a1)], batch=1)
        enroll(setup.program, [CadreFactory(unit=city.town_a1)], batch=2)
        make_session(
            setup.program, at(SAT, 9), batch=1, main_venue=setup.hall, lecturers=[setup.zhang]
        )
        _session, warnings = save(
            setup, data(setup, batch=2, main_venue=None, lecturers=[setup.li])
        )
        assert warnings == [] and first
        # but the same batch twice at once is a warning
        with pytest.raises(ConflictError) as caught:
            save(setup, data(setup, batch=1, main_venue=None, lecturers=[], start=10, end=11))
        assert kinds(caught) == {"trainee_busy", "no_lecturer"}

    def test_editing_a_session_does_not_conflict_with_itself(self, setup):
        session, _ = save(setup, data(setup))
        changed, warnings = services.session_save(
            actor=setup.organizer,
            program=setup.program,
            session=session,
            data=data(setup, title="改过的题目"),
        )
        assert changed.title == "改过的题目" and warnings == []

    def test_the_check_runs_a_bounded_number_of_queries(
        self, setup, city, django_assert_max_num_queries
    ):
        cadres = [CadreFactory(unit=city.town_a1) for _ in range(30)]
        enroll(setup.program, cadres)
        for day in range(1, 29):
            make_session(
                setup.program,
                at(date(2030, 3, day), 14),
                lecturers=[setup.li],
                main_venue=setup.hall,
            )
        with django_assert_max_num_queries(30):
            save(setup, data(setup))

    def test_bad_input_gets_field_errors(self, setup):
        with pytest.raises(ProgramError) as caught:
            save(setup, data(setup, start=12, end=9))
        assert caught.value.code == "invalid_time"
        with pytest.raises(ProgramError) as caught:
            save(setup, data(setup, batch=3))
        assert caught.value.code == "invalid_batch"
        with pytest.raises(ProgramError) as caught:
            save(setup, data(setup, title=""))
        assert caught.value.code == "required"

    def test_only_the_programs_organizers_may_schedule(self, setup, city):
        other = make_user(city.county_b, Role.ORGANIZER)
        with pytest.raises(PermissionDenied):
            services.session_save(actor=other, program=setup.program, data=data(setup))


@pytest.mark.django_db
class TestRecurrence:
    def series(self, s, rule, **template) -> SeriesData:
        template.setdefault("title", "周六大讲堂")
        template.setdefault("lecturers", [s.li])
        template.setdefault("main_venue", s.hall)
        return SeriesData(
            rule=rule,
            start_time=time(9),
            end_time=time(11, 30),
            template=SessionData(starts_at=None, ends_at=None, **template),
        )

    def test_every_saturday_morning_for_eight_weeks_in_one_step(self, setup):
        rule = recurrence.Rule(freq="weekly", start=date(2030, 3, 4), weekdays=[5], count=8)
        created, warnings = services.sessions_generate(
            actor=setup.organizer, program=setup.program, series=self.series(setup, rule)
        )
        days = [s.starts_at.astimezone().date() for s in created]
        assert len(created) == 8 and warnings == []
        assert days[0] == date(2030, 3, 9) and days[-1] == date(2030, 4, 27)
        assert all(d.weekday() == 5 for d in days)
        # each session lands in the unit covering its date
        assert {s.unit.title for s in created[:4]} == {"风险防范"}
        assert {s.unit.title for s in created[4:]} == {"基层治理"}

    def test_the_first_weekend_of_each_month(self):
        rule = recurrence.Rule(
            freq="monthly", start=date(2030, 3, 1), weekdays=[5, 6], nth=1, until=date(2030, 6, 30)
        )
        assert recurrence.dates(rule) == [
            date(2030, 3, 2),
            date(2030, 3, 3),
            date(2030, 4, 6),
            date(2030, 4, 7),
            date(2030, 5, 4),
            date(2030, 5, 5),
            date(2030, 6, 1),
            date(2030, 6, 2),
        ]

    def test_every_other_week_and_the_last_saturday(self):
        fortnightly = recurrence.Rule(
            freq="weekly", start=date(2030, 3, 1), weekdays=[5], interval=2, count=3
        )
        assert recurrence.dates(fortnightly) == [
            date(2030, 3, 2),
            date(2030, 3, 16),
            date(2030, 3, 30),
        ]
        last = recurrence.Rule(
            freq="monthly", start=date(2030, 3, 1), weekdays=[5], nth=-1, count=2
        )
        assert recurrence.dates(last) == [date(2030, 3, 30), date(2030, 4, 27)]

    def test_a_rule_of_ten_thousand_sessions_is_refused_and_nothing_saved(self, setup):
        rule = recurrence.Rule(
            freq="weekly", start=date(2030, 3, 1), weekdays=list(range(7)), count=10_000
        )
        with pytest.raises(ProgramError) as caught:
            services.sessions_generate(
                actor=setup.organizer, program=setup.program, series=self.series(setup, rule)
            )
        assert caught.value.code == "too_many_sessions"
        assert "10,000" in caught.value.message and "200" in caught.value.message
        assert not Session.objects.visible_to(setup.organizer).exists()

    def test_one_conflicting_date_refuses_the_whole_series(self, setup):
        make_session(setup.program, at(date(2030, 3, 16), 10), main_venue=setup.hall, title="已排")
        rule = recurrence.Rule(freq="weekly", start=date(2030, 3, 4), weekdays=[5], count=4)
        with pytest.raises(ConflictError) as caught:
            services.sessions_generate(
                actor=setup.organizer, program=setup.program, series=self.series(setup, rule)
            )
        assert caught.value.blocking
        assert [c.index for c in caught.value.conflicts] == [1]
        assert Session.objects.visible_to(setup.organizer).count() == 1

    def test_dates_past_every_unit_are_refused(self, setup):
        rule = recurrence.Rule(freq="weekly", start=date(2030, 4, 20), weekdays=[5], count=3)
        with pytest.raises(ConflictError) as caught:
            services.sessions_generate(
                actor=setup.organizer, program=setup.program, series=self.series(setup, rule)
            )
        assert {c.kind for c in caught.value.conflicts} >= {"outside_unit", "outside_program"}
