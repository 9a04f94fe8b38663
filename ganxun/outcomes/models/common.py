"""Scope rules the outcomes models share."""

from django.db.models import Q

from ganxun.programs.models import MANAGING_ROLES, Program


def managed_programs_q(actor, lookup: str = "program") -> Q:
    """Rows of programs the actor runs or oversees: staff of the program's org or above."""
    if getattr(actor, "org", None) is None or not actor.is_active:
        return Q(pk__in=[])
    if not actor.has_role(*MANAGING_ROLES):
        return Q(pk__in=[])
    return Q(**{f"{lookup}__in": Program.objects.visible_to(actor).values("pk")})
