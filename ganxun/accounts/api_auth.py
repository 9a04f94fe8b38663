from datetime import timedelta

from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.utils import timezone
from ninja.security import HttpBearer

from ganxun.accounts.models import ApiToken, RoleGrant, hash_token
from ganxun.core.scoping import enter_actor


class _RoleList(Aggregate):
    """The role codes of a user joined by commas (STRING_AGG / GROUP_CONCAT)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _roles_of_token_user() -> Subquery:
    grants = RoleGrant.objects.filter(user_id=OuterRef("user_id")).order_by()
    return Subquery(grants.values("user_id").annotate(codes=_RoleList("role")).values("codes"))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gx_…`` — integrations act as the user who created the token."""

    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user", "user__org")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .annotate(role_codes=_roles_of_token_user())
            .first()
        )
        if row is None:
            return None
        # The roles come with the token (one statement): kiosks call in bursts.
        row.user._roles_cache = frozenset(filter(None, (row.role_codes or "").split(",")))
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        enter_actor(row.user)  # scoped queries of this call narrow to the token's user
        request.api_token = row  # its scope (reads_id_numbers) is read by the answers
        return row.user
