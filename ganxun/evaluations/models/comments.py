"""Moderated comments to lecturers (as EvaP does for universities).

A free-text answer of a satisfaction form (课堂满意度评价表's 意见建议) reaches the lecturer only
after an organizer of the program has read it: published (公开给授课教师), kept private (仅组织方
可见) or hidden (不当或可识别身份的内容). A text answer with no ``CommentReview`` row is pending.
When a trainee edits the form while it is open, the engine rewrites the answers, the review goes
with the old answer and the new text is pending again — nobody publishes words they did not read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.scoping import ScopedManager
from ganxun.programs.models import MANAGING_ROLES, Session


class CommentReview(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("公开给授课教师")
        PRIVATE = "private", _("仅组织方可见")
        HIDDEN = "hidden", _("已隐藏")

    answer = models.OneToOneField(
        "surveys.Answer", on_delete=models.CASCADE, related_name="comment_review"
    )
    # the answer's session, kept here so a session's reviews and pending counts are one filter
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("审核结果"), max_length=10, choices=Status.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"))

    objects = ScopedManager()

    class Meta:
        ordering = ["session", "answer_id"]
        verbose_name = _("意见审核")
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        # no comment text: the audit log records the decision, not the trainee's words
        return _("意见 #%(pk)s · %(status)s") % {
            "pk": self.answer_id,
            "status": self.get_status_display(),
        }

    @classmethod
    def scope_q(cls, actor) -> Q:
        """Managing staff of the session's program; lecturers read published comments only
        through ``selectors.comments`` after the session was authorised."""
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        if actor.has_role(*MANAGING_ROLES):
            return Q(session__in=Session.objects.visible_to(actor).values("pk"))
        return Q(pk__in=[])
