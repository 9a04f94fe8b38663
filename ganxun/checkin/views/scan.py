"""The trainee's side: scan the projector's code, sign in once, see the confirmation.

The code is checked when it is scanned. A browser that must sign in first (or whose phone is
asked for its location) keeps the scan in its session (``checkin.pending``): bound to that
browser, never extended, used once. A forwarded photo opened elsewhere has no such scan and is
refused once its slot is over.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from ganxun.checkin import geo, pending, selectors, services
from ganxun.checkin.errors import CheckinError
from ganxun.core.errors import DomainError, NotFound
from ganxun.core.ratelimit import hall_rate, ratelimit
from ganxun.programs.models import Venue


def _refused(request, exc: DomainError):
    return render(request, "checkin/scan_error.html", {"error": exc}, status=exc.status)


# A whole hall scans through the venue's Wi-Fi (one NAT address) in the minutes before class, so
# a signed-in trainee is counted by account — a person scans a handful of times (sign in, share
# a position, retry) — and an address only before sign-in, sized for the whole hall arriving
# together. A scan is idempotent and a code cannot be guessed: the limits only stop a runaway
# client. The sign-in-then-back-to-the-scan flow (pending.py) returns here and is counted here.
@ratelimit("checkin_scan", "30/m", key="signed_in", methods=None)
@ratelimit("checkin_scan_anonymous", hall_rate(2, "5m"), key="anonymous", methods=None)
@require_http_methods(["GET", "POST"])
def scan(request, code: str):
    signed_in = request.user.is_authenticated
    remembered = pending.take(request, code)  # used by this visit only, whatever its end
    try:
        scanned = pending.read(code, remembered)
    except CheckinError as exc:
        return _refused(request, exc)
    if not signed_in:
        pending.remember(request, code, pending.SIGN_IN, since=remembered)
        return redirect_to_login(request.get_full_path())
    # scope: the venue named by the signed code (a trainee cannot list venues)
    venue = Venue._base_manager.filter(pk=scanned.venue_id).first()
    position = None
    if geo.has_geofence(venue):
        if request.method != "POST":
            pending.remember(request, code, pending.LOCATE, since=remembered)
            return render(request, "checkin/locate.html", {"venue": venue, "code": code})
        position = geo.parse_position(request.POST.get("lat"), request.POST.get("lng"))
    try:
        services.attendance_scan(actor=request.user, scan=scanned, position=position)
    except (CheckinError, NotFound) as exc:
        if position is not None and getattr(exc, "code", None) == "out_of_range":
            # a poor position fix may be retried from the same page (same two minutes)
            pending.remember(request, code, pending.LOCATE, since=remembered)
        return _refused(request, exc)
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
        # scope: the classroom of the trainee's own attendance row, read just above
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
