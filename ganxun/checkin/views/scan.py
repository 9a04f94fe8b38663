"""The trainee's side: scan the projector's code, sign in once, see the confirmation.

The code is checked when it is scanned. A trainee who must sign in first (or whose phone asks
for its location) keeps the scan in the session for a few minutes, so typing the ID number
does not make the code expire under them; a forwarded photo has no such scan and is refused.
"""

import time

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from ganxun.checkin import codes, geo, selectors, services
from ganxun.checkin.errors import CheckinError
from ganxun.core.errors import DomainError, NotFound
from ganxun.core.ratelimit import ratelimit
from ganxun.programs.models import Venue

PENDING_KEY = "checkin_pending"
PENDING_SECONDS = 10 * 60


def _read(request, code: str) -> codes.ScanCode:
    try:
        return codes.read_code(code)
    except CheckinError as exc:
        pending = request.session.get(PENDING_KEY) or {}
        fresh = time.time() - pending.get("at", 0) < PENDING_SECONDS
        if exc.code == "code_expired" and pending.get("code") == code and fresh:
            return codes.read_code(code, grace_slots=PENDING_SECONDS // codes.SLOT_SECONDS + 2)
        raise


def _remember(request, code: str) -> None:
    if (request.session.get(PENDING_KEY) or {}).get("code") != code:
        request.session[PENDING_KEY] = {"code": code, "at": time.time()}


def _refused(request, exc: DomainError):
    return render(request, "checkin/scan_error.html", {"error": exc}, status=exc.status)


# Per address and generous: a whole classroom may scan through one Wi-Fi (NAT) address within
# the first minute. A scan is idempotent and a forged code cannot be guessed, so the limit only
# stops a runaway client from flooding the server.
@ratelimit("checkin_scan", "600/m", key="ip", methods=None)
@require_http_methods(["GET", "POST"])
def scan(request, code: str):
    try:
        scanned = _read(request, code)
    except CheckinError as exc:
        return _refused(request, exc)
    if not request.user.is_authenticated:
        _remember(request, code)
        return redirect_to_login(request.get_full_path())
    venue = Venue._base_manager.filter(pk=scanned.venue_id).first()
    position = None
    if geo.has_geofence(venue):
        if request.method != "POST":
            _remember(request, code)
            return render(request, "checkin/locate.html", {"venue": venue, "code": code})
        position = geo.parse_position(request.POST.get("lat"), request.POST.get("lng"))
    try:
        services.attendance_scan(actor=request.user, scan=scanned, position=position)
    except (CheckinError, NotFound) as exc:
        return _refused(request, exc)
    if PENDING_KEY in request.session:
        del request.session[PENDING_KEY]
    return redirect("checkin:done", pk=scanned.session_id)


def evaluation_url(session_pk: int) -> str | None:
    """The class evaluation form (evaluations app), once that page exists."""
    try:
        return reverse("evaluations:session_form", args=[session_pk])
    except NoReverseMatch:
        return None


@login_required
def done(request, pk):
    """The confirmation: only the trainee's own record, so nothing else can be read here."""
    session = services.session_for_checkin(pk)
    attendance = selectors.own_attendance(request.user, session)
    if attendance is None:
        raise NotFound()
    context = {
        "session": session,
        "attendance": attendance,
        "venue": Venue._base_manager.filter(pk=attendance.venue_id).first(),
        "evaluation_url": evaluation_url(session.pk),
        "can_check_out": session.requires_checkout and attendance.checked_out_at is None,
    }
    return render(request, "checkin/done.html", context)


@require_POST
@login_required
def check_out_self(request, pk):
    session = services.session_for_checkin(pk)
    if selectors.own_attendance(request.user, session) is None:
        raise NotFound()
    try:
        services.attendance_check_out(
            actor=request.user, session=session, cadre_id=request.user.cadre_id, by_self=True
        )
    except CheckinError as exc:
        return _refused(request, exc)
    return redirect("checkin:done", pk=session.pk)
