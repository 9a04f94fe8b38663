"""The organizer's desk: manual check-in by search, a typed paper sheet, check-out, the live
board, the absence list and the printable sheet."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ganxun.checkin import selectors, services
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.models import Attendance
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry
from ganxun.enrollment.models import LeaveRequest
from ganxun.programs.models import ProgramTrainee, Session
from tests.checkin.factories import attend
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def refresh(session):
    return Session._base_manager.select_related("program__org").get(pk=session.pk)


def test_manual_check_in_found_by_the_last_four_of_the_id_number(client, klass):
    client.force_login(klass.organizer)
    tail = klass.carol.id_number[-4:]
    desk = reverse("checkin:desk", args=[klass.session.pk])
    # when the organizer searches the last four digits
    page = client.get(desk, {"q": tail}).content.decode()
    assert "周敏" in page and "未签到" in page
    # and records her by hand
    client.post(desk, {"cadre": klass.carol.pk, "q": tail})
    row = Attendance._base_manager.get(cadre=klass.carol)
    assert row.method == "manual" and row.recorded_by == klass.organizer
    assert AuditEntry.objects.filter(action="attendance.manual").count() == 1
    # and the desk now shows her as checked in
    assert "已签到" in client.get(desk, {"q": tail}).content.decode()


def test_manual_check_in_with_an_arrival_time_marks_late(klass):
    at = klass.session.starts_at + timedelta(minutes=25)
    result = services.attendance_record_manual(
        actor=klass.organizer, session=refresh(klass.session), cadre=klass.carol, at=at
    )
    assert result.attendance.late_minutes == 25


def test_manual_check_in_after_class_counts_as_on_time(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(
        starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=2)
    )
    session = refresh(klass.session)
    result = services.attendance_record_manual(
        actor=klass.organizer, session=session, cadre=klass.carol
    )
    assert result.attendance.checked_in_at == session.starts_at
    assert result.attendance.late_minutes == 0


def test_manual_check_in_of_a_cadre_not_enrolled_is_refused(client, klass):
    client.force_login(klass.organizer)
    desk = reverse("checkin:desk", args=[klass.session.pk])
    response = client.post(desk, {"cadre": klass.outsider.cadre.pk, "q": "孙"}, follow=True)
    assert "不在本次课的学员名单" in response.content.decode()
    assert not Attendance._base_manager.exists()


def test_the_desk_of_another_countys_organizer_is_refused(client, klass, city):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    west = make_user(city.county_b, Role.ORGANIZER)
    client.force_login(west)
    assert client.get(reverse("checkin:desk", args=[klass.session.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.attendance_record_manual(
            actor=west, session=refresh(klass.session), cadre=klass.carol
        )


def test_a_typed_paper_sheet_is_previewed_then_recorded(client, klass):
    # given one trainee already checked in and a sheet with names, a number and an unknown
    attend(klass.session, klass.bob.cadre)
    client.force_login(klass.organizer)
    url = reverse("checkin:sheet_entry", args=[klass.session.pk])
    text = f"周敏\n{klass.alice.cadre.id_number}\n刘洋\n查无此人\n"
    # when the organizer previews it
    preview = client.post(url, {"text": text}).content.decode()
    assert "匹配" in preview and "已签到" in preview and "未找到" in preview
    assert Attendance._base_manager.count() == 1  # nothing written by the preview
    # and confirms
    client.post(url, {"text": text, "confirm": "on"})
    rows = Attendance._base_manager.filter(method="sheet")
    assert {r.cadre.name for r in rows} == {"周敏", "陈红"}
    assert all(r.checked_in_at == klass.session.starts_at for r in rows)
    assert Attendance._base_manager.count() == 3


def test_a_sheet_line_with_two_people_of_the_same_name_is_not_guessed(klass, city):
    twin = CadreFactory(unit=city.town_a2, name="周敏")
    ProgramTrainee.objects.create(program=klass.program, cadre=twin)
    from ganxun.checkin.sheet import match_sheet

    lines = match_sheet(klass.organizer, klass.session, "周敏")
    assert lines[0].status == "ambiguous" and not lines[0].recordable


def test_check_out_marks_early_leave_beyond_the_threshold(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(requires_checkout=True)
    session = refresh(klass.session)
    attend(session, klass.carol)
    # leaving 8 minutes early is within the 10-minute tolerance
    row = services.attendance_check_out(
        actor=klass.organizer,
        session=session,
        cadre_id=klass.carol.pk,
        at=session.ends_at - timedelta(minutes=8),
    )
    assert row.early_minutes == 0 and row.checked_out_at is not None


def test_check_out_40_minutes_early_is_marked(klass):
    Session._base_manager.filter(pk=klass.session.pk).update(requires_checkout=True)
    session = refresh(klass.session)
    attend(session, klass.carol)
    row = services.attendance_check_out(
        actor=klass.organizer,
        session=session,
        cadre_id=klass.carol.pk,
        at=session.ends_at - timedelta(minutes=40),
    )
    assert row.early_minutes == 40 and row.left_early


def test_check_out_needs_a_session_that_requires_it_and_a_check_in(klass):
    session = refresh(klass.session)
    with pytest.raises(CheckinError) as refused:
        services.attendance_check_out(
            actor=klass.organizer, session=session, cadre_id=klass.carol.pk
        )
    assert refused.value.code == "checkout_not_required"
    Session._base_manager.filter(pk=klass.session.pk).update(requires_checkout=True)
    with pytest.raises(CheckinError) as refused:
        services.attendance_check_out(
            actor=klass.organizer, session=refresh(klass.session), cadre_id=klass.carol.pk
        )
    assert refused.value.code == "not_checked_in"


def test_the_board_counts_by_venue_and_unit_and_lists_who_is_missing(client, klass, city):
    # given Alice at the hall, Bob at the video room, a walk-in, and Carol on approved leave
    attend(klass.session, klass.alice.cadre, venue=klass.hall, late_minutes=12)
    attend(klass.session, klass.bob.cadre, venue=klass.video)
    attend(klass.session, klass.outsider.cadre, venue=klass.hall, walk_in=True)
    LeaveRequest.objects.create(
        session=klass.session, cadre=klass.carol, reason="出差", status="approved"
    )
    extra = CadreFactory(unit=city.town_a1, name="郑磊")
    ProgramTrainee.objects.create(program=klass.program, cadre=extra, venue=klass.video)
    board = selectors.board(klass.session)
    # then: 4 expected, 2 of them here, 1 on leave, 1 missing (郑磊)
    assert (board.expected, board.expected_checked, board.on_leave) == (4, 2, 1)
    assert (board.missing_count, [t.cadre.name for t in board.missing]) == (1, ["郑磊"])
    assert (board.late, board.walk_ins, board.checked) == (1, 1, 3)
    venues = {r.label: (r.checked, r.expected) for r in board.by_venue}
    assert venues == {"县委党校报告厅": (2, 3), "东湖镇视频分课堂": (1, 1)}
    units = {r.label: (r.checked, r.expected) for r in board.by_unit}
    assert units == {"东湖镇": (2, 3), "南岭乡": (1, 1)}
    # and the page (and its htmx partial) shows it
    client.force_login(klass.organizer)
    url = reverse("checkin:board", args=[klass.session.pk])
    assert 'hx-trigger="every 5s"' in client.get(url).content.decode()
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "郑磊" in partial and "<html" not in partial and "gx-board" not in partial


def test_the_board_runs_a_fixed_number_of_queries(client, klass, django_assert_max_num_queries):
    client.force_login(klass.organizer)
    url = reverse("checkin:board", args=[klass.session.pk])
    client.get(url)
    with django_assert_max_num_queries(22):
        client.get(url, HTTP_HX_REQUEST="true")


def test_absences_by_unit_export_excludes_leave(client, klass):
    attend(klass.session, klass.alice.cadre)
    LeaveRequest.objects.create(
        session=klass.session, cadre=klass.bob.cadre, reason="病假", status="approved"
    )
    client.force_login(klass.organizer)
    url = reverse("checkin:absences", args=[klass.session.pk])
    assert "周敏" in client.get(url).content.decode()
    response = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]]
    assert names == ["周敏"]
    assert AuditEntry.objects.filter(action="export").exists()


def test_the_printable_sheet_lists_names_units_and_a_signature_column(client, klass):
    client.force_login(klass.organizer)
    page = client.get(reverse("checkin:sheet", args=[klass.session.pk])).content.decode()
    assert "签名" in page and "陈红" in page and "南岭乡" in page and "应到 3 人" in page


def test_the_projector_shows_a_qr_that_opens_the_scan_page(client, klass):
    client.force_login(klass.organizer)
    url = reverse("checkin:projector", args=[klass.session.pk])
    page = client.get(url, {"venue": klass.video.pk}).content.decode()
    assert "<svg" in page and "东湖镇视频分课堂" in page and "data-qr-url" in page
    fragment = client.get(reverse("checkin:qr", args=[klass.session.pk]), {"venue": klass.video.pk})
    assert b"/checkin/s/" in fragment.content and b"<html" not in fragment.content


def test_a_trainee_cannot_open_the_organizer_pages(client, klass):
    client.force_login(klass.alice)
    for name in ("board", "projector", "desk", "sheet", "absences"):
        assert client.get(reverse(f"checkin:{name}", args=[klass.session.pk])).status_code == 403


def test_the_index_lists_todays_sessions(client, klass):
    client.force_login(klass.organizer)
    page = client.get(reverse("checkin:index")).content.decode()
    assert "风险防范专题" in page
