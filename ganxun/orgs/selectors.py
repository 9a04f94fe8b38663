"""Every read of organizations and cadres, cut to what the actor may see."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When

from ganxun.core.errors import NotFound
from ganxun.core.scoping import children_of
from ganxun.core.values import query_int
from ganxun.orgs.idcard import normalise
from ganxun.orgs.lookup import id_hash
from ganxun.orgs.models import (
    Cadre,
    CadreCategory,
    CadreHistory,
    Org,
    PersonnelCategory,
    RankTitle,
)

if TYPE_CHECKING:
    from ganxun.accounts.models import User


def get_org_for(actor: "User", pk) -> Org:
    """Fetch-and-authorise: missing and out-of-scope both answer "not found"."""
    pk = query_int(pk, min_value=1)  # "²".isdigit() is true, int("²") is not
    org = Org.objects.visible_to(actor).filter(pk=pk).first() if pk is not None else None
    if org is None:
        raise NotFound()
    return org


def get_org_by_code_for(actor: "User", code: str) -> Org:
    org = Org.objects.visible_to(actor).filter(code=code).first()
    if org is None:
        raise NotFound()
    return org


def get_cadre_for(actor: "User", pk) -> Cadre:
    pk = query_int(pk, min_value=1)
    cadre = (
        Cadre.objects.visible_to(actor)
        .select_related("unit", "rank_title", "personnel_category")
        .prefetch_related("categories")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if cadre is None:
        raise NotFound()
    return cadre


def org_children(actor: "User", org: Org, *, include_retired: bool = False) -> QuerySet[Org]:
    qs = Org.objects.visible_to(actor).filter(parent=org)
    if not include_retired:
        qs = qs.filter(is_active=True)
    # Places (区县, 乡镇) before the departments hung on the same node, as org charts list them.
    departments_last = Case(When(level=Org.Level.DEPARTMENT, then=1), default=0)
    return qs.annotate(child_count=Count("children", filter=Q(children__is_active=True))).order_by(
        departments_last, "sort", "code"
    )


def org_ancestors(org: Org) -> list[Org]:
    """The chain from the root down to the parent, for breadcrumbs (names only)."""
    ids = org.ancestor_ids
    # scope: the held org's own ancestors, for the breadcrumb's names (above the actor's root too)
    by_id = {o.pk: o for o in Org._base_manager.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def org_choices(actor: "User", *, active_only: bool = True) -> QuerySet[Org]:
    qs = Org.objects.visible_to(actor).only("id", "name", "code", "depth", "path", "level")
    return qs.filter(is_active=True) if active_only else qs


def org_search(actor: "User", q: str, limit: int = 20) -> QuerySet[Org]:
    return org_choices(actor).filter(Q(name__contains=q) | Q(code__startswith=q))[:limit]


@dataclass
class CadreFilters:
    q: str = ""
    unit: Org | None = None
    rank: str = ""
    category: CadreCategory | None = None
    status: str = ""
    leader_role: str = ""
    personnel_category: PersonnelCategory | None = None
    rank_title: RankTitle | None = None
    account: str = ""  # "none": no trainee account yet; "yes": has one


def cadre_search(actor: "User", filters: CadreFilters) -> QuerySet[Cadre]:
    """The roster as the actor may see it, narrowed by the filters; units include subunits."""
    qs = Cadre.objects.visible_to(actor)
    q = normalise(filters.q) if filters.q else ""
    if q:
        if q.isdigit() or q.endswith("X"):
            qs = qs.filter(id_tail=q) if len(q) == 4 else qs.filter(id_hash=id_hash(q))
        else:
            qs = qs.filter(name__contains=filters.q.strip())
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.rank:
        qs = qs.filter(rank=filters.rank)
    if filters.category is not None:
        qs = qs.filter(categories=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.leader_role:
        qs = qs.filter(leader_role=filters.leader_role)
    if filters.personnel_category is not None:
        qs = qs.filter(personnel_category=filters.personnel_category)
    if filters.rank_title is not None:
        qs = qs.filter(rank_title=filters.rank_title)
    if filters.account:
        qs = qs.filter(account__isnull=filters.account == "none")
    return qs.select_related("unit", "rank_title", "personnel_category").prefetch_related(
        Prefetch("categories", queryset=CadreCategory.objects.all())
    )


def roster_counts(actor: "User") -> dict:
    qs = Cadre.objects.visible_to(actor).filter(status=Cadre.Status.ACTIVE)
    by_rank = dict(qs.order_by().values_list("rank").annotate(n=Count("id")))
    return {
        "active": sum(by_rank.values()),
        "by_rank": [(label, by_rank.get(value, 0)) for value, label in Cadre.Rank.choices],
    }


def unplaced_ranks(actor: "User") -> list[dict]:
    """The data-quality list: cadres in the actor's scope whose rank the correspondence table
    cannot place at a level (or who have no rank at all), by rank — never silently dropped
    from statistics, but listed here until the table or the record is fixed."""
    rows = (
        Cadre.objects.visible_to(actor)
        .filter(rank="")
        .order_by()
        .values("rank_title__name", "rank_title__system")
        .annotate(n=Count("id"))
    )
    systems = dict(RankTitle.System.choices)
    return [
        {
            "rank": row["rank_title__name"] or "（未填职级）",
            "system": str(systems.get(row["rank_title__system"], "")),
            "count": row["n"],
        }
        for row in rows
    ]


def cadre_history(cadre: Cadre) -> list[CadreHistory]:
    """A cadre's career records, newest first (the cadre was fetched through its scope)."""
    return list(
        children_of(cadre, CadreHistory, "cadre")
        .select_related("unit", "rank_title", "personnel_category")
        .order_by("-start", "-id")
    )
