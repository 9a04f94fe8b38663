"""Bearer tokens for integrations (kiosks, other systems).

A kiosk calls in bursts, so the lookup is one statement written once per database vendor, its
row made into instances without ``raw()`` (core/rawrows.py): the ORM would compile the same
join, subquery and forty columns again on every call, which cost more than the database
itself (bench/profile_stack.py, docs/benchmarks.md, issue 19). Nothing about the token or its
user is kept between requests: a revoked token, a deactivated account or a changed role counts
on the very next call.
"""

from datetime import timedelta
from functools import cache
from typing import Any

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer

from ganxun.accounts.models import ApiToken, RoleGrant, User, hash_token
from ganxun.core.rawrows import instance_from_row, select_list
from ganxun.core.scoping import enter_actor
from ganxun.orgs.models import Org

# What the answers read of the token itself (orgs/api.py: its scope and its name in audits);
# the other columns stay deferred.
TOKEN_FIELDS = ("id", "user_id", "name", "prefix", "key_hash", "reads_id_numbers")
# last_used_at is written at most once a minute: a write per call would serialise a burst.
TOUCH_EVERY = timedelta(minutes=1)


@cache
def _lookup_sql(vendor: str) -> str:
    qn = connection.ops.quote_name
    token, user, grant, org = (qn(m._meta.db_table) for m in (ApiToken, User, RoleGrant, Org))
    roles = "GROUP_CONCAT(g.role, ',')" if vendor == "sqlite" else "STRING_AGG(g.role, ',')"
    token_columns = ", ".join(f"t.{qn(f)}" for f in TOKEN_FIELDS)
    return (
        f"SELECT {select_list(User, 'u')}, {token_columns},"
        f" (SELECT {roles} FROM {grant} g WHERE g.user_id = u.id),"
        " o.path,"
        " CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END"
        f" FROM {token} t INNER JOIN {user} u ON u.id = t.user_id"
        f" LEFT JOIN {org} o ON o.id = u.org_id"
        " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer gx_…`` — integrations act as the user who created the token."""

    def authenticate(self, request, token):
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(_lookup_sql(connection.vendor), [now - TOUCH_EVERY, hash_token(token)])
            found = cursor.fetchone()
        if found is None:
            return None
        user: Any = instance_from_row(User, found)  # Any: _roles_cache is set below
        n = len(User._meta.concrete_fields)
        values = list(found[n : n + len(TOKEN_FIELDS)])
        role_codes, org_path, stale = found[n + len(TOKEN_FIELDS) :]
        # The roles come with the token (one statement): kiosks call in bursts.
        user._roles_cache = frozenset(filter(None, (role_codes or "").split(",")))
        values[-1] = bool(values[-1])  # SQLite answers 0/1
        row = ApiToken.from_db(connection.alias, TOKEN_FIELDS, values)
        row.user = user
        if user.org_id is not None:  # what scoping reads (its subtree); the rest loads on access
            user.org = Org.from_db(connection.alias, ["id", "path"], [user.org_id, org_path])
        if stale:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = user
        enter_actor(user)  # scoped queries of this call narrow to the token's user
        request.api_token = row  # its scope (reads_id_numbers) is read by the answers
        return user
