"""Enrollment's tiles on the home page's role panels: (label, value, url) triples."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.enrollment import policies, selectors
from ganxun.enrollment.models import Nomination
from ganxun.programs import policies as program_policies


def enrollment_tiles(user, role: str) -> list[tuple[str, int | str, str]]:
    if role == Role.TRAINEE:
        tiles = [(_("未读消息"), selectors.unread_count(user), reverse("enrollment:inbox"))]
        if policies.can_select(user):
            tiles.append((_("自主选学"), _("去选课"), reverse("enrollment:menu")))
        return tiles
    if role == Role.LECTURER:
        return [(_("未读消息"), selectors.unread_count(user), reverse("enrollment:inbox"))]
    if role == Role.UNIT_CONTACT:
        return [
            (
                _("待审批请假"),
                len(selectors.leave_to_decide(user)),
                reverse("enrollment:leave_inbox"),
            ),
            (_("调训名额"), len(selectors.contact_quotas(user)), reverse("enrollment:my_quotas")),
        ]
    if role == Role.ORGANIZER and program_policies.can_manage_programs(user):
        pending = Nomination.objects.visible_to(user).filter(
            status=Nomination.Status.PENDING, program__org__path__startswith=user.org.path
        )
        # the counter leads to the program where the oldest pending nomination waits
        oldest = pending.order_by("nominated_at", "pk").values_list("program_id", flat=True).first()
        url = (
            reverse("enrollment:program_nominations", args=[oldest])
            if oldest
            else reverse("programs:list")
        )
        return [(_("待确认报名"), pending.count(), url)]
    return []
