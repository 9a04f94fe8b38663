"""The enrollment and check-in rules organizers set on sessions, classrooms and programs."""

from decimal import Decimal

import pytest

from ganxun.programs import services
from ganxun.programs.errors import ProgramError
from ganxun.programs.services import VenueData
from tests.programs.test_sessions import data, save


@pytest.mark.django_db
class TestSessionRules:
    def test_a_self_selectable_session_keeps_its_seats_and_thresholds(self, setup):
        # given a 自主选学 session with 60 seats, 3 学时 and a 15-minute late threshold
        d = data(setup, self_selectable=True, capacity=60, credit_hours=Decimal("3"))
        d.late_after_minutes = 15
        # when it is saved
        session, _ = save(setup, d)
        # then the rules are on the session as set
        session.refresh_from_db()
        assert session.self_selectable and session.capacity == 60
        assert session.credit_hours == Decimal("3") and session.late_after_minutes == 15

    def test_self_selection_without_seats_is_refused(self, setup):
        with pytest.raises(ProgramError) as caught:
            save(setup, data(setup, self_selectable=True))
        assert caught.value.code == "capacity_required"

    @pytest.mark.parametrize("hours", [Decimal("0"), Decimal("25")])
    def test_absurd_credit_hours_are_refused(self, setup, hours):
        with pytest.raises(ProgramError) as caught:
            save(setup, data(setup, credit_hours=hours))
        assert caught.value.code == "invalid_hours"

    def test_a_late_threshold_longer_than_the_class_is_refused(self, setup):
        d = data(setup, start=9, end=10)
        d.late_after_minutes = 90
        with pytest.raises(ProgramError) as caught:
            save(setup, d)
        assert caught.value.code == "invalid_threshold"


@pytest.mark.django_db
class TestVenueGeofence:
    def test_a_range_without_coordinates_is_refused(self, setup):
        with pytest.raises(ProgramError) as caught:
            services.venue_save(
                actor=setup.organizer,
                venue=setup.hall,
                data=VenueData(name="报告厅", geofence_m=200),
            )
        assert caught.value.code == "geofence_needs_location"

    def test_a_range_with_coordinates_is_kept(self, setup):
        venue = services.venue_save(
            actor=setup.organizer,
            venue=setup.hall,
            data=VenueData(
                name="报告厅",
                latitude=Decimal("29.868"),
                longitude=Decimal("121.544"),
                geofence_m=200,
            ),
        )
        venue.refresh_from_db()
        assert venue.geofence_m == 200 and venue.latitude == Decimal("29.868000")


@pytest.mark.django_db
def test_the_program_form_saves_channel_and_leave_rules(setup, client):
    # given the organizer editing the program on the page
    client.force_login(setup.organizer)
    page = client.get(f"/programs/{setup.program.pk}/edit/")
    form = page.context["form"]
    posted = {k: v for k, v in form.initial.items() if v is not None}
    posted.update(
        start_date="2030-03-01",
        end_date="2030-04-30",
        channel="remote",
        leave_limit="0.1",
        leave_organizer_hours="8",
        reviewers=[u.pk for u in posted.get("reviewers", [])],
        sub_venues=[],
        main_venue=setup.hall.pk,
    )
    posted.pop("menu_call", None)
    # when they choose 远程/空中课堂 and a 10% leave limit
    response = client.post(f"/programs/{setup.program.pk}/edit/", posted)
    # then the program keeps them
    assert response.status_code == 302, response.content.decode()[:2000]
    setup.program.refresh_from_db()
    assert setup.program.channel == "remote"
    assert setup.program.leave_limit == Decimal("0.100")
    assert setup.program.leave_organizer_hours == Decimal("8.0")
