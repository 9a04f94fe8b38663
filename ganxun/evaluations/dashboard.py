"""Evaluations' tiles on the home page's role panels: (label, value, url) triples."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.catalog.models import Lecturer
from ganxun.evaluations import selectors
from ganxun.programs.models import Session


def evaluations_tiles(user, role: str) -> list[tuple[str, int | str, str]]:
    if role == Role.TRAINEE and user.cadre_id:
        pending = len(selectors.my_pending_forms(user))
        return [(_("待评价的课"), pending, reverse("evaluations:mine"))]
    if role == Role.LECTURER and user.cadre_id:
        lecturer = Lecturer.objects.visible_to(user).filter(cadre_id=user.cadre_id).first()
        if lecturer is None:
            return []
        results = selectors.dimension_results(user, "lecturer", lecturer)
        value = _("满 5 人后显示") if results["hidden"] else (results["mean"] or _("暂无"))
        tiles = [
            (_("课堂评价均分"), value, reverse("evaluations:lecturer_results", args=[lecturer.pk]))
        ]
        upcoming = (
            Session.objects.visible_to(user)
            .filter(
                lecturers__cadre_id=user.cadre_id,
                status=Session.Status.SCHEDULED,
                ends_at__gte=timezone.now(),
            )
            .order_by("starts_at", "id")
            .first()
        )
        if upcoming is not None:
            tiles.append(
                (
                    _("下次课备课简报"),
                    upcoming.title,
                    reverse("evaluations:session_brief", args=[upcoming.pk]),
                )
            )
        return tiles
    if role == Role.ORGANIZER:
        pending = selectors.pending_count(user)
        url = reverse("evaluations:pending_comments")
        return [(_("待审核的学员意见"), pending, url)] if pending else []
    return []
