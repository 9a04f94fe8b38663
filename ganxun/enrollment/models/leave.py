"""Leave requests (请假)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.accounts.models import Role
from ganxun.core.scoping import ScopedManager, subtree_q
from ganxun.programs.models import Session


class LeaveRequest(models.Model):
    """A trainee asks to miss a session. Approved leave is not absence (and credits nothing).
    The unit contact decides; when the leave is long (program.leave_organizer_hours) the
    organizer decides after the contact approved (status stays PENDING with contact_approved)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="leave_requests")
    cadre = models.ForeignKey(
        "orgs.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name=_("学员")
    )
    reason = models.TextField(_("请假事由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    needs_organizer = models.BooleanField(_("需主办方审批"), default=False)
    contact_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("请假申请")
        constraints = [
            # One live request per trainee and session; a refused or withdrawn one may be redone.
            models.UniqueConstraint(
                fields=["session", "cadre"],
                condition=Q(status__in=["pending", "approved"]),
                name="uniq_live_leave",
            )
        ]
        indexes = [models.Index(fields=["cadre", "status"])]

    def __str__(self):
        return f"{self.cadre} · {self.session}"

    @classmethod
    def scope_q(cls, actor) -> Q:
        if getattr(actor, "org", None) is None or not actor.is_active:
            return Q(pk__in=[])
        if actor.has_role(Role.ADMIN, Role.ORGANIZER):
            return Q(session__in=Session.objects.visible_to(actor).values("pk"))
        if actor.has_role(Role.UNIT_CONTACT):
            return subtree_q(actor, "cadre__unit")
        if actor.cadre_id:
            return Q(cadre_id=actor.cadre_id)
        return Q(pk__in=[])
