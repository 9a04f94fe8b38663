"""Programs' tiles on the home page's role panels: (label, value, url) triples."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.programs import policies, selectors
from ganxun.programs.dates import short_when
from ganxun.programs.models import OutlineStatus


def programs_tiles(user, role: str) -> list[tuple[str, int | str, str]]:
    if role == Role.ORGANIZER:
        pending = selectors.sessions_without_approved_outline(user).count()
        return [(_("提纲未审批的课次"), pending, reverse("programs:pending_outlines"))]
    if role == Role.REVIEWER:
        return [
            (_("待审提纲"), selectors.outlines_to_review(user).count(), reverse("programs:review"))
        ]
    if role == Role.LECTURER and policies.can_teach(user):
        due = selectors.lecturer_sessions(user).filter(
            outline_status__in=[OutlineStatus.NONE, OutlineStatus.RETURNED]
        )
        return [(_("待提交提纲"), due.count(), reverse("programs:teaching"))]
    if role == Role.TRAINEE and policies.is_trainee(user):
        nxt = selectors.next_session_for_trainee(user)
        if nxt is None:
            return [(_("下一次课"), _("暂无"), reverse("programs:my"))]
        when = short_when(nxt.starts_at)
        return [(_("下一次课"), f"{when} {nxt.title}", reverse("programs:session", args=[nxt.pk]))]
    return []
