"""我的消息: marking notices read (one or all). Not audited: it changes nobody's rights."""

from typing import TYPE_CHECKING

from django.db import transaction

from ganxun.core.notices import notices_mark_read as _mark_read

if TYPE_CHECKING:
    from ganxun.accounts.models import User


@transaction.atomic
def notices_mark_read(*, actor: "User", notice_id: int | None = None) -> int:
    return _mark_read(user=actor, notice_id=notice_id)
