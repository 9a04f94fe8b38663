"""Class satisfaction forms (课堂满意度评价表).

The questions, answers and their validation live in the one question engine (``surveys``): a
program's form is a ``Questionnaire`` with purpose "evaluation", and each filled form is a
``surveys.Response``. This app adds what the engine does not know: which program uses which
form and until when it may be answered, and whose response belongs to which session.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import MANAGING_ROLES, Program, Session

DEFAULT_CLOSE_HOURS = 72


class EvaluationSetup(models.Model):
    """A program's evaluation settings: the form in use, a draft being edited, when forms close."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="evaluation_setup"
    )
    questionnaire = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("使用中的评价表"),
    )
    draft = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("编辑中的评价表"),
    )
    close_hours = models.PositiveSmallIntegerField(
        _("下课后可填写（小时）"), default=DEFAULT_CLOSE_HOURS
    )
    # The form opens when the class ends, or this many minutes before the end (never before
    # the start); derived on read, no scheduler.
    open_minutes_before_end = models.PositiveSmallIntegerField(_("下课前开放（分钟）"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("评价设置")

    def __str__(self):
        return _("%(program)s 评价设置") % {"program": self.program}

    @classmethod
    def scope_q(cls, actor) -> Q:
        return Q(program__in=Program.objects.visible_to(actor).values("pk"))


class SessionEvaluation(models.Model):
    """One trainee's form for one session: at most one row per (session, cadre); an edit while
    the form is open rewrites the answers of the same surveys response.

    ``mean_score`` (mean of the rating answers) is kept here so trends and rankings are one
    GROUP BY over this table instead of a join through every answer."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    response = models.OneToOneField(
        "surveys.Response", on_delete=models.CASCADE, related_name="evaluation"
    )
    mean_score = models.FloatField(_("平均分"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)
    edits = models.PositiveSmallIntegerField(_("修改次数"), default=0)

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("课堂评价")
        constraints = [
            models.UniqueConstraint(fields=["session", "cadre"], name="uniq_session_evaluation")
        ]
        indexes = [models.Index(fields=["cadre", "session"])]

    def __str__(self):
        return _("评价 #%(pk)s · %(session)s") % {"pk": self.pk, "session": self.session}

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Managing staff see rows of programs they may see (names only where policy allows);
        a trainee sees their own. Lecturers never read rows — only aggregates."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES):
            q |= Q(session__in=Session.objects.visible_to(actor).values("pk"))
        if actor.cadre_id:
            q |= Q(cadre_id=actor.cadre_id)
        return q
