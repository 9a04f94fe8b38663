"""Outcomes' tiles on the home page's role panels: (label, value, url) triples."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.outcomes import policies, selectors
from ganxun.outcomes.models import Outcome


def outcomes_tiles(user, role: str) -> list[tuple[str, int | str, str]]:
    if role == Role.ORGANIZER:
        pending = selectors.outcomes_to_review(user).count()
        return [(_("待审学用成果"), pending, reverse("outcomes:review_queue"))]
    if role == Role.TRAINEE and policies.is_trainee(user):
        certificates = len(selectors.my_certificates(user))
        return [(_("结业证书"), certificates, reverse("outcomes:my"))]
    if role == Role.UNIT_CONTACT:
        returned = selectors.my_outcomes(user).filter(status=Outcome.Status.RETURNED).count()
        return [(_("退回待修改的成果"), returned, reverse("outcomes:my"))]
    return []
