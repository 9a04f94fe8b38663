"""Needs surveys' tiles on the home page's role panels: (label, value, url) triples."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role
from ganxun.needs.models import NeedsSurvey, Respondent
from ganxun.needs.selectors import SUBMITTED, trainee_open_surveys
from ganxun.surveys.models import Questionnaire

OPEN = Q(survey__questionnaire__status=Questionnaire.Status.OPEN)


def needs_tiles(user, role: str) -> list[tuple[str, int, str]]:
    if role in (Role.ADMIN, Role.ORGANIZER):
        running = NeedsSurvey.objects.visible_to(user).filter(
            questionnaire__status=Questionnaire.Status.OPEN,
            questionnaire__org__path__startswith=user.org.path,
        )
        return [(_("进行中的需求调研"), running.count(), reverse("needs:list"))]
    if role == Role.UNIT_CONTACT:
        waiting = (
            Respondent.objects.visible_to(user)
            .filter(OPEN)
            .filter(
                Q(survey__questionnaire__closes_at__isnull=True)
                | Q(survey__questionnaire__closes_at__gt=timezone.now())
            )
            .exclude(SUBMITTED)
        )
        return [(_("本单位需求调研未提交"), waiting.count(), reverse("needs:list"))]
    if role == Role.TRAINEE and user.cadre_id:
        return [(_("待填问卷"), len(trainee_open_surveys(user)), reverse("needs:inbox"))]
    return []
