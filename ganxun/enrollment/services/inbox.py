"""我的消息: marking notices read (one or all). Not audited: it changes nobody's rights."""

from django.db import transaction
from django.utils import timezone

from ganxun.core.models import Notice


@transaction.atomic
def notices_mark_read(*, actor, notice_id: int | None = None) -> int:
    qs = Notice.objects.filter(user=actor, read_at__isnull=True)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now())
