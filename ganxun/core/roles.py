"""The roles an account can hold. A vocabulary every app's policies read, so it sits in core;
the grants themselves (``accounts.RoleGrant``) and ``User.has_role`` stay in accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("培训管理员")
    ORGANIZER = "organizer", _("教务组织者")
    REVIEWER = "reviewer", _("审核领导")
    LECTURER = "lecturer", _("授课教师")
    UNIT_CONTACT = "unit_contact", _("单位联络员")
    TRAINEE = "trainee", _("学员")


def can_view_audit(user) -> bool:
    """The audit log (core's own record) is read by administrators only."""
    return user.has_role(Role.ADMIN)
