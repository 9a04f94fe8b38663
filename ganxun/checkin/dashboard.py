"""Check-in's tile on the organizer's home panel: today's sessions, one tap from the board."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.checkin import policies
from ganxun.programs.models import Session


def checkin_tiles(user, role: str) -> list[tuple[str, int | str, str]]:
    if role != Role.ORGANIZER or not policies.can_run_any_checkin(user):
        return []
    start = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    today = Session.objects.visible_to(user).filter(
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
        status=Session.Status.SCHEDULED,
    )
    return [(_("今日签到课次"), today.count(), reverse("checkin:index"))]
