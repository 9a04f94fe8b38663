"""One definition of 学时 (core.hours): the ledger, the statistics, the annual report, the budget
figures, the leave limit and the trainee's own record agree for the same sessions."""

from datetime import date
from decimal import Decimal

import pytest

from ganxun.budgets import selectors as budget_selectors
from ganxun.budgets.services import BudgetData, budget_create
from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events, hours
from ganxun.credits import ledger
from ganxun.credits.models import CreditEntry, CreditSettings
from ganxun.credits.selectors import cadre_record
from ganxun.enrollment.selectors import leave_share
from ganxun.stats.period import Period
from ganxun.stats.report import stats_report
from tests.credits.factories import make_attendance
from tests.factories import CadreFactory
from tests.programs.factories import at, enroll, make_program, make_session

pytestmark = pytest.mark.usefixtures("unscoped_block")
DAY = date(2031, 3, 10)


@pytest.fixture(autouse=True)
def fresh_rules():
    ledger.forget_settings()
    yield
    ledger.forget_settings()


def week_of_sessions(city, admin):
    """As the Ningbo walk found it: a 10:45–16:30 class (5 h 45 min), a half day the program
    fixed at 4 学时, and a 90-minute lecture."""
    program = make_program(city.city, organizer=admin, start=DAY, end=date(2031, 3, 31))
    trainee = CadreFactory(unit=city.town_a1)
    enroll(program, [trainee])
    sessions = [
        make_session(program, at(DAY, 10, 45), at(DAY, 16, 30)),
        make_session(
            program,
            at(date(2031, 3, 11), 8, 30),
            at(date(2031, 3, 11), 11, 30),
            credit_hours=Decimal("4"),
        ),
        make_session(program, at(date(2031, 3, 12), 14), at(date(2031, 3, 12), 15, 30)),
    ]
    for session in sessions:
        attendance = make_attendance(session, trainee)
        events.publish(AttendanceRecorded(attendance=attendance, created=True))
    return program, trainee


def figures_everywhere(city, admin, client, program, trainee):
    budget = budget_create(
        actor=admin, data=BudgetData(title="经费", year=2031, amount="10000", program=program)
    )
    client.force_login(admin)
    html = client.get(f"/stats/annual/?org={city.city.pk}&year=2031").content.decode()
    return {
        "ledger": sum((e.hours for e in CreditEntry.objects.filter(cadre=trainee)), Decimal(0)),
        "statistics": stats_report(city.city, Period.of_year(2031)).hours,
        "annual report": Decimal(html.split("安排课次3次、")[1].split("学时")[0]),
        "budget": budget_selectors.budget_figures([budget])[0].hours,
        "leave limit": leave_share(program, trainee).total_hours,
        "trainee's record": Decimal(str(cadre_record(trainee, 2031).year_totals[2031])),
    }


def test_the_ledger_statistics_budget_and_record_count_the_same_hours(city, admin, client):
    # given a 5 h 45 min class (7.5 学时 at 45 minutes, rounded down to halves), a half day set
    # to 4 学时 and a 90-minute lecture (2 学时), all attended by one trainee
    program, trainee = week_of_sessions(city, admin)
    # when every place that shows 学时 is read
    seen = figures_everywhere(city, admin, client, program, trainee)
    # then they all say 13.5
    assert seen == dict.fromkeys(seen, Decimal("13.5"))


def test_changing_the_setting_changes_every_figure_alike(city, admin, client):
    # given the city counts one 学时 as a clock hour
    CreditSettings.objects.update_or_create(pk=1, defaults={"minutes_per_hour": 60})
    ledger.forget_settings()
    program, trainee = week_of_sessions(city, admin)
    # when every place is read: 5 h 45 → 5.5, the set 4, 90 minutes → 1.5
    seen = figures_everywhere(city, admin, client, program, trainee)
    # then each shows 11.0
    assert seen == dict.fromkeys(seen, Decimal("11.0"))


def test_the_definition_has_a_default_and_a_cited_source():
    assert hours.DEFAULT_MINUTES_PER_HOUR == CreditSettings().minutes_per_hour == 45
    assert "条例" in hours.SOURCE and hours.SOURCE_URL.startswith("https://")
    assert hours.hours_for_minutes(345, hours.HoursRule()) == Decimal("7.5")
