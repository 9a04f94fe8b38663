"""The one write of the "who was told" pages: send again what failed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of
from ganxun.messaging.models import INAPP, Delivery, Message
from ganxun.messaging.told import policies
from ganxun.messaging.told.errors import ToldError

Status = Delivery.Status


def message_resend_failed(*, actor: User, message: Message) -> int:
    """Every failed delivery of ``message`` is pending again, due now, its attempts reset (the
    same idempotency key: a failed delivery never went out). Returns how many."""
    if not policies.can_resend(actor, message):
        raise PermissionDenied()
    with transaction.atomic():
        failed = children_of(message, Delivery, "message").exclude(channel=INAPP)
        n = failed.filter(status=Status.FAILED).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            lease_until=None,
            claim="",
            last_error="",
        )
        if not n:
            raise ToldError("nothing_failed", _("没有发送失败的记录。"))
        audit_record(actor=actor, action="update", obj=message, changes={"resend_failed": n})
    return n
