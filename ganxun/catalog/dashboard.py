"""The catalogue's tiles on the home page's role panels: (label, value, url) triples."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.catalog.models import Course, Proposal
from ganxun.catalog.selectors_proposals import pending_reviews


def catalog_tiles(user, role: str) -> list[tuple[str, int, str]]:
    if role == Role.ORGANIZER:
        published = Course.objects.visible_to(user).filter(status=Course.Status.PUBLISHED)
        waiting = Proposal.objects.visible_to(user).filter(
            Q(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.REVIEWING]),
            call__owner__path__startswith=user.org.path,
        )
        return [
            (_("已发布课程"), published.count(), reverse("catalog:courses") + "?status=published"),
            (_("待评审申报"), waiting.count(), reverse("catalog:calls")),
        ]
    if role == Role.REVIEWER:
        # the counter leads to the round where the oldest unscored entry waits
        pending = pending_reviews(user)
        first = pending.order_by("round__opened_at", "round_id").values_list("round_id", flat=True)
        round_id = first.first()
        url = reverse("catalog:round", args=[round_id]) if round_id else reverse("catalog:calls")
        return [("待我评分", pending.count(), url)]
    if role == Role.UNIT_CONTACT:
        mine = Proposal.objects.visible_to(user).filter(unit__path__startswith=user.org.path)
        return [(_("我单位的课程申报"), mine.count(), reverse("catalog:proposals"))]
    return []
