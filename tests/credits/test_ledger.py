"""The ledger: automatic credit from attendance, teaching and graduation, never twice; manual
entries and corrections by reversal; append-only down to the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import override_settings

from ganxun.accounts.models import Role
from ganxun.checkin.events import AttendanceRecorded
from ganxun.core import events
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AppendOnlyError
from ganxun.core.scoping import unscoped
from ganxun.credits import ledger
from ganxun.credits.attendance import credit_attendance
from ganxun.credits.errors import CreditError
from ganxun.credits.jobs import sync_credits
from ganxun.credits.models import Channel, CreditEntry, CreditSettings, ProgramCreditRule
from ganxun.credits.services import EntryData, credit_program_bonus, entry_record, entry_reverse
from tests.catalog.factories import make_lecturer
from tests.credits.factories import make_attendance, make_entry
from tests.factories import make_user
from tests.programs.factories import at, make_program, make_session

pytestmark = pytest.mark.usefixtures("unscoped_block")
DAY = date(2025, 4, 12)


@pytest.fixture(autouse=True)
def fresh_rules():
    ledger.forget_settings()
    yield
    ledger.forget_settings()


@pytest.fixture
def session(city):
    program = make_program(city.county_a, start=DAY, end=DAY + timedelta(days=30))
    # 09:00–12:00 = 180 minutes = 4 学时 at 45 minutes a 学时
    return make_session(program, at(DAY, 9), at(DAY, 12), title="党的创新理论")


def ledger_of(cadre):
    return list(CreditEntry.objects.filter(cadre=cadre).order_by("id"))


def net(cadre) -> Decimal:
    return sum((e.hours for e in ledger_of(cadre)), Decimal(0))


def send(attendance, created):
    events.publish(AttendanceRecorded(attendance=attendance, created=created))


def test_checking_in_credits_the_session_hours_once_however_often_the_signal_comes(session, cadres):
    # given a trainee checked in on time
    attendance = make_attendance(session, cadres["inside"])
    # when check-in sends the signal, and a retried request sends it again
    send(attendance, created=True)
    send(attendance, created=True)
    send(attendance, created=False)
    # then the trainee has one entry of 4 学时 for the session, on its day, as 集中培训
    [entry] = ledger_of(cadres["inside"])
    assert (entry.hours, entry.day, entry.channel) == (Decimal("4.0"), DAY, Channel.CENTRAL)
    assert entry.session_id == session.pk and entry.title == "党的创新理论"


def test_set_course_hours_win_over_the_duration(session, cadres):
    session.credit_hours = Decimal("3.5")
    session.save()
    send(make_attendance(session, cadres["inside"]), created=True)
    assert net(cadres["inside"]) == Decimal("3.5")


def test_an_early_leave_reverses_the_credit_and_writes_the_reduced_one(session, cadres):
    # given a trainee credited 4 学时 at check-in
    attendance = make_attendance(session, cadres["inside"])
    send(attendance, created=True)
    # when they check out 60 minutes early (a third of the session)
    attendance.early_minutes = 60
    attendance.save()
    send(attendance, created=False)
    send(attendance, created=False)  # and the signal is re-sent
    # then the ledger shows the original, its reversal and the new credit: net 2.5 学时
    rows = ledger_of(cadres["inside"])
    assert [r.hours for r in rows] == [Decimal("4.0"), Decimal("-4.0"), Decimal("2.5")]
    assert rows[1].reverses_id == rows[0].pk and rows[1].reason
    assert net(cadres["inside"]) == Decimal("2.5")


def test_forfeit_rule_gives_nothing_past_the_threshold(session, cadres):
    CreditSettings.objects.filter(pk=1).update(late_rule="forfeit", forfeit_after_minutes=30)
    send(make_attendance(session, cadres["inside"], late=20), created=True)
    send(make_attendance(session, cadres["other_town"], late=40), created=True)
    assert net(cadres["inside"]) == Decimal("4")
    assert net(cadres["other_town"]) == 0 and not ledger_of(cadres["other_town"])


def test_full_rule_ignores_lateness(session, cadres):
    CreditSettings.objects.filter(pk=1).update(late_rule="full")
    send(make_attendance(session, cadres["inside"], late=50), created=True)
    assert net(cadres["inside"]) == Decimal("4")


def test_a_session_requiring_checkout_credits_on_checkout_only(session, cadres):
    session.requires_checkout = True
    session.save()
    attendance = make_attendance(session, cadres["inside"])
    send(attendance, created=True)
    assert not ledger_of(cadres["inside"])
    attendance.checked_out_at = session.ends_at
    attendance.save()
    send(attendance, created=False)
    assert net(cadres["inside"]) == Decimal("4")


def test_recompute_after_a_rule_change_adjusts_once_and_then_writes_nothing(session, cadres):
    # given two trainees credited under 45-minute 学时
    for cadre in (cadres["inside"], cadres["other_town"]):
        send(make_attendance(session, cadre), created=True)
    # when the rule becomes 60 minutes a 学时 and credits are recomputed twice
    CreditSettings.objects.filter(pk=1).update(minutes_per_hour=60)
    first = sync_credits(teaching=False)
    second = sync_credits(teaching=False)
    # then each trainee nets 3 学时, and the second run wrote nothing
    assert net(cadres["inside"]) == net(cadres["other_town"]) == Decimal("3")
    assert first.attendance_rows == 4 and second.attendance_rows == 0


def test_lecturers_are_credited_teaching_hours_once_for_sessions_that_ended(city, cadres):
    CreditSettings.objects.filter(pk=1).update(teaching_factor=Decimal("2"))
    lecturer = make_lecturer(city.county_a, "张老师")
    lecturer.cadre = cadres["inside"]
    lecturer.save()
    program = make_program(city.county_a, start=DAY, end=DAY)
    make_session(program, at(DAY, 9), at(DAY, 10, 30), lecturers=[lecturer])  # 2 学时
    future = date.today() + timedelta(days=30)
    make_session(program, at(future, 9), at(future, 12), lecturers=[lecturer])
    sync_credits(attendance=False)
    sync_credits(attendance=False)
    [entry] = ledger_of(cadres["inside"])
    assert (entry.hours, entry.channel) == (Decimal("4"), Channel.TEACHING)


def test_program_bonus_is_credited_once_and_only_when_configured(city, admin, cadres):
    program = make_program(city.county_a, start=DAY, end=DAY + timedelta(days=5))
    assert credit_program_bonus(actor=admin, program=program, cadre=cadres["inside"]) is None
    ProgramCreditRule.objects.create(program=program, bonus_hours=Decimal("8"))
    first = credit_program_bonus(actor=admin, program=program, cadre=cadres["inside"])
    again = credit_program_bonus(actor=admin, program=program, cadre=cadres["inside"])
    assert first.pk == again.pk and net(cadres["inside"]) == Decimal("8")


def test_approved_leave_credits_nothing(session, cadres):
    # no attendance row is written for a trainee on approved leave, so no signal, no credit
    assert not ledger_of(cadres["inside"])


def test_a_correction_is_a_reversing_entry_with_a_reason(town_contact, cadres):
    entry = entry_record(
        actor=town_contact,
        data=EntryData(cadres["inside"], DAY, Decimal("6"), Channel.READING, "读书班", "通知 3 号"),
    )
    with pytest.raises(CreditError) as no_reason:
        entry_reverse(actor=town_contact, entry=entry, reason="  ")
    assert no_reason.value.code == "required"
    reversal = entry_reverse(actor=town_contact, entry=entry, reason="重复登记")
    assert reversal.hours == Decimal("-6") and reversal.reverses_id == entry.pk
    with pytest.raises(CreditError) as twice:
        entry_reverse(actor=town_contact, entry=entry, reason="再次")
    assert twice.value.code == "already_reversed"
    assert net(cadres["inside"]) == 0 and len(ledger_of(cadres["inside"])) == 2


def test_manual_entries_refuse_absurd_hours_and_cadres_outside_the_subtree(town_contact, cadres):
    for hours, code in ((Decimal("-1"), "negative_hours"), (Decimal("25"), "absurd_hours")):
        with pytest.raises(CreditError) as refused:
            entry_record(
                actor=town_contact,
                data=EntryData(cadres["inside"], DAY, hours, Channel.OTHER, "x", "y"),
            )
        assert refused.value.code == code
    with pytest.raises(PermissionDenied):
        entry_record(
            actor=town_contact,
            data=EntryData(cadres["other_county"], DAY, Decimal(2), Channel.OTHER, "x", "y"),
        )
    trainee = make_user(cadres["inside"].unit, Role.TRAINEE, cadre=cadres["inside"])
    with pytest.raises(PermissionDenied):
        entry_record(actor=trainee, data=EntryData(cadres["inside"], DAY, Decimal(2), 1, "x", "y"))
    assert not ledger_of(cadres["inside"])


def test_the_orm_refuses_to_change_or_delete_an_entry(cadres):
    entry = make_entry(cadres["inside"], DAY, 3)
    entry.hours = Decimal("30")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.filter(pk=entry.pk).update(hours=1)
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.all().delete()


@override_settings(GANXUN_AUDIT_PURGE_ALLOWED=False)
def test_the_database_refuses_a_raw_update_and_delete(cadres):
    # given an entry, and a connection without the test-only purge switch
    entry = make_entry(cadres["inside"], DAY, 3)
    lock = "SET LOCAL ganxun.audit_purge = 'off'" if connection.vendor == "postgresql" else None
    for sql in (
        f"UPDATE credits_creditentry SET hours = 300 WHERE id = {entry.pk}",
        f"DELETE FROM credits_creditentry WHERE id = {entry.pk}",
    ):
        # when raw SQL tries to change or remove it, then the database refuses
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            if lock:
                cur.execute(lock)
            cur.execute(sql)
    assert CreditEntry.objects.get(pk=entry.pk).hours == Decimal("3")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE trigger is PostgreSQL's")
@override_settings(GANXUN_AUDIT_PURGE_ALLOWED=False)
def test_postgresql_refuses_truncate(cadres):
    make_entry(cadres["inside"], DAY, 3)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks left to block it
        cur.execute("SET LOCAL ganxun.audit_purge = 'off'")
        cur.execute("TRUNCATE credits_creditentry CASCADE")


def test_receiver_stays_cheap(session, cadres, django_assert_max_num_queries):
    attendance = make_attendance(session, cadres["inside"])
    ledger.credit_settings()
    with unscoped():
        session.program  # noqa: B018 — check-in has the program at hand
    attendance.session = session
    # then crediting a check-in is one INSERT, and a change one SELECT plus one INSERT
    with django_assert_max_num_queries(1):
        credit_attendance(AttendanceRecorded(attendance=attendance, created=True))
    attendance.early_minutes = 30
    with django_assert_max_num_queries(2):
        credit_attendance(AttendanceRecorded(attendance=attendance, created=False))
