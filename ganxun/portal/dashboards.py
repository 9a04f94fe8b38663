"""The home page: one panel per role the user holds, each with the counts that role manages."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts import selectors
from ganxun.accounts.models import Role, User
from ganxun.catalog.dashboard import catalog_tiles
from ganxun.checkin.dashboard import checkin_tiles
from ganxun.core.models import AuditEntry
from ganxun.enrollment.dashboard import enrollment_tiles
from ganxun.evaluations.dashboard import evaluations_tiles
from ganxun.needs.dashboard import needs_tiles
from ganxun.orgs.models import Cadre
from ganxun.orgs.selectors import roster_counts
from ganxun.outcomes.dashboard import outcomes_tiles
from ganxun.programs.dashboard import programs_tiles


@dataclass
class Tile:
    label: str
    value: int | str
    url: str = ""


@dataclass
class Panel:
    role: str
    title: str
    tiles: list[Tile] = field(default_factory=list)
    rows: list[tuple[str, int]] = field(default_factory=list)


def roster_overview(user) -> tuple[list[Tile], list[tuple[str, int]]]:
    counts = roster_counts(user)
    tiles = [
        Tile(_("组织节点"), selectors.org_count(user), reverse("orgs:tree")),
        Tile(_("在职干部"), counts["active"], reverse("cadres:list") + "?status=active"),
    ]
    return tiles, counts["by_rank"]


def admin_panel(user) -> Panel:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    by_role = selectors.role_counts(user)
    return Panel(
        Role.ADMIN,
        str(Role.ADMIN.label),
        [
            Tile(_("启用账号"), sum(by_role.values()), reverse("accounts:users")),
            Tile(
                _("今日审计记录"),
                AuditEntry.objects.filter(at__gte=today).count(),
                reverse("core:audit"),
            ),
            *(Tile(*t) for t in needs_tiles(user, Role.ADMIN)),
        ],
    )


def organizer_panel(user) -> Panel:
    tiles = [Tile(*t) for t in catalog_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in needs_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in programs_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in outcomes_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in checkin_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in enrollment_tiles(user, Role.ORGANIZER)]
    tiles += [Tile(*t) for t in evaluations_tiles(user, Role.ORGANIZER)]
    return Panel(Role.ORGANIZER, str(Role.ORGANIZER.label), tiles)


def unit_contact_panel(user) -> Panel:
    without_account = (
        Cadre.objects.visible_to(user)
        .filter(status=Cadre.Status.ACTIVE, account__isnull=True)
        .count()
    )
    return Panel(
        Role.UNIT_CONTACT,
        str(Role.UNIT_CONTACT.label),
        [
            Tile(
                "未开通学员账号",
                without_account,
                reverse("cadres:list") + "?status=active&account=none",
            ),
            *(Tile(*t) for t in catalog_tiles(user, Role.UNIT_CONTACT)),
            *(Tile(*t) for t in needs_tiles(user, Role.UNIT_CONTACT)),
            *(Tile(*t) for t in outcomes_tiles(user, Role.UNIT_CONTACT)),
            *(Tile(*t) for t in enrollment_tiles(user, Role.UNIT_CONTACT)),
        ],
    )


def reviewer_panel(user) -> Panel:
    return Panel(
        Role.REVIEWER,
        str(Role.REVIEWER.label),
        [
            Tile("分管范围", user.org.name if user.org else "—"),
            *(Tile(*t) for t in catalog_tiles(user, Role.REVIEWER)),
            *(Tile(*t) for t in programs_tiles(user, Role.REVIEWER)),
        ],
    )


def lecturer_panel(user) -> Panel:
    return Panel(
        Role.LECTURER,
        str(Role.LECTURER.label),
        [
            Tile("所属单位", user.org.name if user.org else "—"),
            *(Tile(*t) for t in programs_tiles(user, Role.LECTURER)),
            *(Tile(*t) for t in evaluations_tiles(user, Role.LECTURER)),
            *(Tile(*t) for t in enrollment_tiles(user, Role.LECTURER)),
        ],
    )


def trainee_panel(user: User) -> Panel:
    cadre = Cadre.objects.visible_to(user).select_related("unit").filter(pk=user.cadre_id).first()
    if cadre is None:
        return Panel(Role.TRAINEE, str(Role.TRAINEE.label), [Tile("账号", "未关联干部信息")])
    return Panel(
        Role.TRAINEE,
        str(Role.TRAINEE.label),
        [
            Tile("单位", cadre.unit.name, reverse("cadres:mine")),
            Tile("职务", cadre.position or "—"),
            Tile("职级", cadre.get_rank_display()),
            *(Tile(*t) for t in needs_tiles(user, Role.TRAINEE)),
            *(Tile(*t) for t in programs_tiles(user, Role.TRAINEE)),
            *(Tile(*t) for t in outcomes_tiles(user, Role.TRAINEE)),
            *(Tile(*t) for t in evaluations_tiles(user, Role.TRAINEE)),
            *(Tile(*t) for t in enrollment_tiles(user, Role.TRAINEE)),
        ],
    )


PANELS = [
    (Role.ADMIN, admin_panel),
    (Role.ORGANIZER, organizer_panel),
    (Role.UNIT_CONTACT, unit_contact_panel),
    (Role.REVIEWER, reviewer_panel),
    (Role.LECTURER, lecturer_panel),
    (Role.TRAINEE, trainee_panel),
]


ROSTER_ROLES = (Role.ADMIN, Role.ORGANIZER, Role.UNIT_CONTACT)


def panels_for(user) -> list[Panel]:
    """One panel per role; the roster overview goes once, into the first role that reads it."""
    panels = [build(user) for role, build in PANELS if user.has_role(role)]
    for panel in panels:
        if panel.role in ROSTER_ROLES:
            tiles, panel.rows = roster_overview(user)
            panel.tiles = tiles + panel.tiles
            break
    return panels
