"""Checks, audit and notice helpers the enrollment services share."""

from django.db.models import Q
from django.utils.translation import gettext as _

from ganxun.accounts.models import Role, User
from ganxun.core import services as core_services
from ganxun.core.services import full_snapshot, record
from ganxun.enrollment import kinds  # noqa: F401  (registers the kinds sent below)
from ganxun.enrollment.errors import EnrollmentError
from ganxun.messaging import outbox
from ganxun.messaging.outbox import To
from ganxun.programs.models import Program

__all__ = ["clean_text", "full_snapshot", "notify", "record"]


def clean_text(value, **kwargs) -> str:
    return core_services.clean_text(value, error=EnrollmentError, **kwargs)


def require_open_program(program: Program) -> None:
    if program.status == Program.Status.CLOSED:
        raise EnrollmentError(
            "program_closed",
            _("“%(full_name)s”已结业，不能再变动。") % {"full_name": program.full_name},
        )


def accounts_of(cadre_ids) -> list[User]:
    """The accounts linked to these cadres (a trainee may have none yet)."""
    return list(User.objects.filter(cadre_id__in=list(cadre_ids), is_active=True))


def contacts_for(unit) -> list[User]:
    """Unit contacts of the cadre's unit and of the units above it."""
    ancestors = [*unit.ancestor_ids, unit.pk]
    return list(
        User.objects.filter(
            is_active=True, org_id__in=ancestors, role_grants__role=Role.UNIT_CONTACT
        ).distinct()
    )


def organizers_of(program: Program) -> list[User]:
    """Who runs the program: its creator and the organizers of its org."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(pk=program.created_by_id) | Q(org_id=program.org_id, role_grants__role=Role.ORGANIZER)
        )
        .distinct()
    )


def notify(users, *, kind: str, context: dict, program: Program, url: str = "", sender=None) -> int:
    """A notice of ``kind`` (enrollment/kinds.py) to these accounts, through the outbox, in
    the program's org's wording."""
    return outbox.send(
        kind=kind,
        to=[To.user(u) for u in users if u is not None],
        context=context,
        url=url,
        program_id=program.pk,
        org_id=program.org_id,
        sender=sender,
    )
