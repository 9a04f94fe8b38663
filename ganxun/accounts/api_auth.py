from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from ganxun.accounts.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gx_…`` — integrations act as the user who created the token."""

    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user", "user__org")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
