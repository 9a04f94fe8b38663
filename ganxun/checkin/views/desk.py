"""The organizer's side: today's sessions, the projector, the live board, the desk (manual
check-in and check-out), a paper sheet typed in, the printable sheet and the absence export."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ganxun.checkin import codes, geo, policies, selectors, services
from ganxun.checkin.errors import CheckinError
from ganxun.checkin.exports import write_absences_xlsx
from ganxun.checkin.forms import CheckoutForm, DeskSearchForm, ManualForm, SheetForm
from ganxun.checkin.sheet import LABELS, match_sheet
from ganxun.core.errors import NotFound
from ganxun.core.exports import audited_download
from ganxun.core.http import page_or_partial, require
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require(policies.can_run_any_checkin)
def index(request):
    """Sessions from today on (and yesterday's, for absence lists) of programs the actor runs."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today - timedelta(days=1), datetime.min.time()))
    sessions = (
        Session.objects.visible_to(request.user)
        .filter(
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=8),
            status=Session.Status.SCHEDULED,
        )
        .select_related("program__org", "main_venue")
        .order_by("starts_at")
    )
    rows = [s for s in sessions if policies.can_run_checkin(request.user, s)]
    return render(request, "checkin/index.html", {"sessions": rows, "today": today})


def _venue(session, venues, raw):
    if not venues:
        raise NotFound(_("本次课尚未安排教室。"))
    for v in venues:
        if str(v.pk) == str(raw):
            return v
    return venues[0]


@require(policies.can_run_any_checkin)
def projector(request, pk):
    session = selectors.get_checkin_session_for(request.user, pk)
    venues = selectors.session_venues(session)
    venue = _venue(session, venues, request.GET.get("venue"))
    context = {"session": session, "venues": venues, "venue": venue, **_qr(request, session, venue)}
    return render(request, "checkin/projector.html", context)


@require(policies.can_run_any_checkin)
def projector_full(request, pk):
    """The hall's screen: nothing but the code (most of the shorter side), the course, the
    room and a live 已签到/应到; the code and the count refresh themselves (checkin.js, htmx)."""
    session = selectors.get_checkin_session_for(request.user, pk)
    venues = selectors.session_venues(session)
    venue = _venue(session, venues, request.GET.get("venue"))
    context = {
        "session": session,
        "venue": venue,
        "count": selectors.room_count(session, venue, venues),
        **_qr(request, session, venue),
    }
    return render(request, "checkin/projector_full.html", context)


@require(policies.can_run_any_checkin)
def projector_count(request, pk):
    """The full-screen projector's count, polled every few seconds."""
    session = selectors.get_checkin_session_for(request.user, pk)
    venues = selectors.session_venues(session)
    venue = _venue(session, venues, request.GET.get("venue"))
    context = {"count": selectors.room_count(session, venue, venues)}
    return render(request, "checkin/_projector_count.html", context)


@require(policies.can_run_any_checkin)
def qr(request, pk):
    """The code alone, fetched by the projector's script when the slot turns over."""
    session = selectors.get_checkin_session_for(request.user, pk)
    venue = _venue(session, selectors.session_venues(session), request.GET.get("venue"))
    context = {"session": session, **_qr(request, session, venue)}
    template = "checkin/_qr_full.html" if request.GET.get("full") else "checkin/_qr.html"
    return render(request, template, context)


def _qr(request, session, venue) -> dict:
    code = codes.make_code(session.pk, venue.pk)
    url = request.build_absolute_uri(reverse("checkin:scan", args=[code]))
    opens, closes = services.window(session)
    now = timezone.now()
    return {
        "svg": codes.qr_svg(url),
        "scan_url": url,
        "next_ms": int(codes.seconds_left() * 1000),
        "is_open": opens <= now <= closes and session.status == Session.Status.SCHEDULED,
        "opens": opens,
        "checked_here": selectors.checked_in_at_venue(session, venue),
        "geofenced": geo.has_geofence(venue),
    }


@require(policies.can_run_any_checkin)
def board(request, pk):
    session = selectors.get_checkin_session_for(request.user, pk)
    context = {"board": selectors.board(session), "session": session, "now": timezone.now()}
    return page_or_partial(request, "checkin/board.html", "checkin/_board.html", context)


@require(policies.can_run_any_checkin)
def desk(request, pk):
    session = selectors.get_checkin_session_for(request.user, pk)
    if request.method == "POST":
        return _record_manual(request, session)
    search = DeskSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "session": session,
        "search": search,
        "q": q,
        "hits": selectors.desk_search(request.user, session, q),
        "manual_form": ManualForm(),
    }
    return render(request, "checkin/desk.html", context)


def _back_to_desk(session, q: str = ""):
    url = reverse("checkin:desk", args=[session.pk])
    return redirect(f"{url}?q={q}" if q else url)


def _record_manual(request, session):
    form = ManualForm(request.POST)
    q = request.POST.get("q", "")[:50]
    if not form.is_valid():
        messages.error(request, _("请求有误，请重新搜索后再签到。"))
        return _back_to_desk(session, q)
    cadre = Cadre.objects.visible_to(request.user).filter(pk=form.cleaned_data["cadre"]).first()
    if cadre is None:
        raise NotFound()
    arrived = form.cleaned_data["arrived"]
    at = None
    if arrived:
        day = timezone.localtime(session.starts_at).date()
        at = timezone.make_aware(datetime.combine(day, arrived))
    try:
        result = services.attendance_record_manual(
            actor=request.user, session=session, cadre=cadre, at=at
        )
    except CheckinError as exc:
        messages.error(request, f"{cadre.name}：{exc.message}")
    else:
        if result.created:
            late = (
                _("（迟到 %(late_minutes)s 分钟）")
                % {"late_minutes": result.attendance.late_minutes}
                if result.attendance.is_late
                else ""
            )
            walk = _("（旁听）") if result.attendance.walk_in else ""
            messages.success(
                request,
                _("%(cadre)s 已签到%(walk)s%(late)s。")
                % {"cadre": cadre.name, "walk": walk, "late": late},
            )
        else:
            messages.info(request, _("%(cadre)s 此前已签到，未重复记录。") % {"cadre": cadre.name})
    return _back_to_desk(session, q)


@require_POST
@require(policies.can_run_any_checkin)
def check_out(request, pk):
    session = selectors.get_checkin_session_for(request.user, pk)
    form = CheckoutForm(request.POST)
    q = request.POST.get("q", "")[:50]
    if not form.is_valid():
        messages.error(request, _("请求有误。"))
        return _back_to_desk(session, q)
    cadre = Cadre.objects.visible_to(request.user).filter(pk=form.cleaned_data["cadre"]).first()
    if cadre is None:
        raise NotFound()
    try:
        row = services.attendance_check_out(actor=request.user, session=session, cadre_id=cadre.pk)
    except CheckinError as exc:
        messages.error(request, f"{cadre.name}：{exc.message}")
    else:
        early = (
            _("（早退 %(early_minutes)s 分钟）") % {"early_minutes": row.early_minutes}
            if row.left_early
            else ""
        )
        messages.success(
            request, _("%(cadre)s 已签退%(early)s。") % {"cadre": cadre.name, "early": early}
        )
    return _back_to_desk(session, q)


@require(policies.can_run_any_checkin)
def sheet_entry(request, pk):
    """Preview the typed sheet line by line; a second post with confirm records it."""
    session = selectors.get_checkin_session_for(request.user, pk)
    form = SheetForm(request.POST or None)
    lines = []
    if request.method == "POST" and form.is_valid():
        lines = match_sheet(request.user, session, form.cleaned_data["text"])
        if form.cleaned_data["confirm"]:
            cadres = [line.cadre for line in lines if line.recordable]
            try:
                done = services.attendance_record_sheet(
                    actor=request.user, session=session, cadres=cadres
                )
            except CheckinError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已录入 %(created)s 人；%(already)s 人此前已签到；%(value)s 行未录入。")
                    % {
                        "created": done["created"],
                        "already": done["already"],
                        "value": len(lines) - len(cadres),
                    },
                )
                return redirect("checkin:board", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "lines": lines,
        "labels": LABELS,
        "recordable": sum(1 for line in lines if line.recordable),
    }
    return render(request, "checkin/sheet_entry.html", context)


@require(policies.can_run_any_checkin)
def sign_sheet(request, pk):
    """The printable sign-in sheet: names, units and an empty signature column."""
    session = selectors.get_checkin_session_for(request.user, pk)
    context = {
        "session": session,
        "rows": selectors.sheet_rows(session),
        "venues": selectors.session_venues(session),
    }
    return render(request, "checkin/sign_sheet.html", context)


@require(policies.can_run_any_checkin)
def absences(request, pk):
    session = selectors.get_checkin_session_for(request.user, pk)
    groups = selectors.absences_by_unit(session)
    if request.GET.get("format") != "xlsx":
        context = {"session": session, "groups": groups, "total": sum(len(g) for _, g in groups)}
        return render(request, "checkin/absences.html", context)
    return audited_download(
        actor=request.user,
        content=write_absences_xlsx(request.user, session, groups),
        filename=f"absences-{session.pk}.xlsx",
        obj=session,
        object_repr=f"缺勤名单导出：{session.title}"[:200],
    )
