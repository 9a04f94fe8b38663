"""The statistics reads: which node an actor may report on, and the report itself.

Every figure comes from ``report.stats_report`` (queries in ``figures``); the dashboard, the
Excel export, the annual report page and ``ganxun stats`` all call ``report_for`` or, in the
CLI, ``stats_report`` directly after resolving the org by its code.
"""

from typing import TYPE_CHECKING

from ganxun.core.errors import NotFound
from ganxun.core.values import query_int
from ganxun.orgs.models import Org
from ganxun.stats import panels, policies
from ganxun.stats.period import Period
from ganxun.stats.report import Report, stats_report

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def get_node_for(actor: "User", pk=None) -> Org:
    """The actor's own org, or an org below it; 404 for anything else."""
    if pk in (None, ""):
        node = actor.org
    else:
        pk = query_int(pk, min_value=1)
        node = Org.objects.visible_to(actor).filter(pk=pk).first() if pk is not None else None
    if node is None or not policies.can_view_node(actor, node):
        raise NotFound()
    return node


def node_trail(actor: "User", node: Org) -> list[Org]:
    """From the actor's org down to the node, for the breadcrumb of the drill-down."""
    ids = [i for i in node.ancestor_ids if i] + [node.pk]
    orgs = Org.objects.visible_to(actor).filter(pk__in=ids).order_by("depth")
    return list(orgs)


def report_for(actor: "User", node: Org, period: Period, **wanted) -> Report:
    if not policies.can_view_node(actor, node):
        raise NotFound()
    return stats_report(node, period, **wanted)


def compliance_for(actor: "User", node: Org, period: Period):
    """The hours-compliance panel alone: the dashboard loads it after the page (it evaluates
    every cadre's hours, the slowest figure), the export and the annual report inline."""
    if not policies.can_view_node(actor, node):
        raise NotFound()
    return panels.compliance(node, period)
