"""Writes a demo plan into an empty database: one transaction, a handful of bulk INSERTs.

Speed comes from doing nothing per row in the database: every value (ids and paths included)
is computed in Python first, then each table is filled with ``bulk_create`` in large batches.
No service is called per row; the single audit entry describes the whole load.
"""

import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from ganxun.accounts.models import User
from ganxun.core.audit import audit_record
from ganxun.core.scoping import unscoped
from ganxun.demo.accounts import DEMO_USERNAMES, create_accounts
from ganxun.demo.history import plan_history
from ganxun.demo.plan import DEFAULT_CADRES, DEFAULT_SEED, DemoPlan, build_plan
from ganxun.orgs import history
from ganxun.orgs.errors import OrgError
from ganxun.orgs.models import Cadre, CadreCategory, Org, PersonnelCategory, RankTitle
from ganxun.orgs.roster.sql import db_date

BATCH = 5_000  # Django lowers it to what the backend allows (SQLite: 999 parameters a statement)


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    orgs: int
    cadres: int
    category_links: int
    users: int
    history: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.orgs + self.cadres + self.category_links + self.users + self.history


def demo_has_data() -> bool:
    with unscoped():
        return Org.objects.exists()


def demo_load(*, seed: int = DEFAULT_SEED, cadres: int = DEFAULT_CADRES) -> DemoSummary:
    """Build the city for ``seed`` and write it. Refuses (OrgError) a database that already has
    organizations, because the plan's ids and codes assume an empty tree."""
    started = time.perf_counter()
    _check_empty()  # before spending seconds on the plan
    plan = build_plan(seed=seed, cadres=cadres)
    with unscoped(), transaction.atomic():
        # Again inside the transaction, in case another load got in between. (A load racing
        # this one on PostgreSQL would hit the unique ids and codes and roll back whole.)
        _check_empty()
        _insert_orgs(plan)
        category_ids = _ensure_categories(plan)
        personnel = _personnel_categories(plan)
        _insert_cadres(plan, personnel)
        links = _insert_category_links(plan, category_ids)
        records = _insert_history(plan, personnel)
        users = create_accounts(plan.accounts)
        _reset_sequences()
        _audit(plan, links, records)
    return DemoSummary(
        seed=seed,
        orgs=len(plan.orgs),
        cadres=len(plan.cadres),
        category_links=links,
        users=len(users),
        history=records,
        seconds=time.perf_counter() - started,
    )


def _check_empty() -> None:
    if demo_has_data():
        raise OrgError(
            "demo_not_empty",
            "数据库中已有组织数据，演示数据只能装入空库。只想查看演示账号时请加 --if-empty。",
        )
    taken = sorted(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username"))
    if taken:
        names = "、".join(name for (name,) in taken)
        raise OrgError("demo_username_taken", f"用户名 {names} 已存在，无法创建演示账号。")


def _insert_orgs(plan: DemoPlan) -> None:
    Org.objects.bulk_create(
        (
            Org(
                pk=row.pk,
                parent_id=row.parent_pk,
                code=row.code,
                name=row.name,
                level=row.level,
                path=row.path,
                depth=row.depth,
                sort=row.sort,
            )
            for row in plan.orgs
        ),
        batch_size=BATCH,
    )


def _ensure_categories(plan: DemoPlan) -> dict[str, int]:
    """Category code → id. Reuses categories an administrator already made (matched by code or
    by name, both unique), creates the rest."""
    existing = list(CadreCategory.objects.all())
    by_code = {c.code: c.pk for c in existing}
    by_name = {c.name: c.pk for c in existing}
    missing = [
        CadreCategory(code=code, name=name, sort=i)
        for i, (code, name) in enumerate(plan.categories)
        if code not in by_code and name not in by_name
    ]
    CadreCategory.objects.bulk_create(missing)
    if missing:
        by_code.update(dict(CadreCategory.objects.values_list("code", "pk")))
        by_name.update(dict(CadreCategory.objects.values_list("name", "pk")))
    return {code: by_code.get(code) or by_name[name] for code, name in plan.categories}


def _level_titles() -> dict[str, int]:
    """Each level's leading-post rank in the correspondence table."""
    titles = {}
    for pk, level in (
        RankTitle.objects.filter(system__in=["leading", "other"])
        .order_by("-sort")
        .values_list("pk", "level")
    ):
        titles[level] = pk
    return titles


def _personnel_categories(plan: DemoPlan) -> dict[int, int | None]:
    """Cadre id → 人员类别 id: 村（社区）干部 in villages and communities, 参公 at the party
    schools, one in five of the departments' general staff 事业单位人员, else 公务员."""
    ids = dict(PersonnelCategory.objects.values_list("code", "pk"))
    kind_of = {org.pk: org.kind for org in plan.orgs}
    level_of = {org.pk: org.level for org in plan.orgs}
    out = {}
    for row in plan.cadres:
        kind = kind_of[row.unit_pk]
        if kind in ("village", "community"):
            code = "village"
        elif kind == "party_school":
            code = "reference"
        elif level_of[row.unit_pk] == "department" and row.rank == "general" and row.pk % 5 == 0:
            code = "institution"
        else:
            code = "civil_servant"
        out[row.pk] = ids.get(code)
    return out


def _insert_cadres(plan: DemoPlan, personnel: dict[int, int | None]) -> None:
    titles = _level_titles()
    Cadre.objects.bulk_create(
        (
            Cadre(
                pk=row.pk,
                name=row.name,
                gender=row.gender,
                id_number=row.id_number,
                id_tail=row.id_number[-4:],
                birth_date=row.birth_date,
                unit_id=row.unit_pk,
                position=row.position,
                rank=row.rank,
                rank_title_id=titles.get(row.rank),
                personnel_category_id=personnel[row.pk],
                leader_role=row.leader_role,
                phone=row.phone,
                status=row.status,
            )
            for row in plan.cadres
        ),
        batch_size=BATCH,
    )


def _insert_category_links(plan: DemoPlan, category_ids: dict[str, int]) -> int:
    through = Cadre.categories.through
    links = [
        through(cadre_id=row.pk, cadrecategory_id=category_ids[code])
        for row in plan.cadres
        for code in row.categories
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return len(links)


def _insert_history(plan: DemoPlan, personnel: dict[int, int | None]) -> int:
    """Every cadre's current record and some earlier ones: one COPY (PostgreSQL) or executemany
    (SQLite) through the roster import's writer, not bulk_create's per-value work."""
    titles = _level_titles()
    rows = [
        (
            row.cadre_pk,
            row.unit_pk,
            row.position,
            titles.get(row.rank),
            row.rank,
            personnel[row.cadre_pk],
            db_date(row.start),
            db_date(row.end) if row.end else None,
            row.end_reason,
            "",
        )
        for row in plan_history(plan.seed, plan.orgs, plan.cadres, timezone.localdate())
    ]
    history.insert(rows)
    return len(rows)


def _reset_sequences() -> None:
    """The ids were chosen here, not by the database: move PostgreSQL's sequences past them so
    the next ordinary INSERT does not collide. (SQLite's AUTOINCREMENT keeps up by itself.)"""
    statements = connection.ops.sequence_reset_sql(no_style(), [Org, Cadre])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _audit(plan: DemoPlan, links: int, records: int) -> None:
    audit_record(
        actor=None,
        action="create",
        object_type="orgs.org",
        object_id=str(plan.orgs[0].pk),
        object_repr="演示数据",
        changes={
            "seed": [None, plan.seed],
            "orgs": [None, len(plan.orgs)],
            "cadres": [None, len(plan.cadres)],
            "category_links": [None, links],
            "history": [None, records],
            "users": [None, sorted(spec.username for spec in plan.accounts)],
        },
    )
