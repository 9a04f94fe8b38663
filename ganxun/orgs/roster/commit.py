"""Writing planned rows: a batch per transaction, whole rows only, safe to run again.

A batch inserts its new cadres, links their categories, updates changed cadres (only the changed
fields) and appends its audit entries (one per updated cadre with old and new values, one for
the batch listing the cadres it created), all in one transaction. A process killed mid-way leaves
the batches before it complete and nothing of the one it was in; running the import again
re-plans, finds those rows unchanged, and finishes the rest. Unchanged rows cost no write.
"""

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from ganxun.core.audit import audit_record, diff
from ganxun.core.context import current_request_info
from ganxun.core.crypto import encrypt, mask_phone
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.orgs import history
from ganxun.orgs.lookup import id_hash
from ganxun.orgs.models import Cadre, Org
from ganxun.orgs.roster.plan import HISTORY_FIELDS, NEW, UPDATE, RowPlan
from ganxun.orgs.roster.rows import Lookups
from ganxun.orgs.roster.sql import (
    db_date,
    db_datetime,
    insert_rows,
    to_json,
    update_rows,
)
from ganxun.orgs.roster.units import NewUnit
from ganxun.orgs.services import ORG_FIELDS, _insert_org

INSERT_FIELDS = ["id_number", "id_hash", "id_tail", "birth_date", "unit"]
INSERT_FIELDS += ["rank_title", "personnel_category"]
INSERT_FIELDS += ["created_at", "updated_at"]
TEXT_FIELDS = ["name", "gender", "position", "rank", "leader_role", "phone", "status", "note"]
AUDIT_FIELDS = ["at", "actor", "actor_name", "ip", "channel", "action", "object_type"]
AUDIT_FIELDS += ["object_id", "object_repr", "changes"]
ID_CONTEXT, PHONE_CONTEXT = "orgs.cadre.id_number", "orgs.cadre.phone"
PHONE = TEXT_FIELDS.index("phone")
IN_STEP = 900  # SQLite's default limit on variables per statement is 999
Link = Cadre.categories.through


class Writer:
    def __init__(self, *, actor, lookups: Lookups, create_under: Org | None = None, ledger=None):
        self.actor = actor
        self.ledger = ledger  # resume.Ledger: told what each transaction wrote, inside it
        self.lookups = lookups
        self.create_under = create_under
        self.created_units: list[Org] = []
        self._units_by_id: dict[int, Org] = dict(lookups.units.by_id)

    def write(self, plans: list[RowPlan]) -> None:
        changed = [p for p in plans if p.status in (NEW, UPDATE)]
        if not changed:
            return
        self._create_units(changed)
        # The planner let through only rows inside the importer's scope; the writes themselves
        # address cadres by primary key, which the scoped manager cannot check.
        self._now = db_datetime(timezone.now())
        # scope: only rows the planner checked inside the importer's scope are written
        with unscoped(), transaction.atomic():
            inserted = self._insert([p for p in changed if p.status == NEW])
            self._link_categories(inserted)
            updated = [p for p in changed if p.status == UPDATE]
            self._update(updated)
            self._history(inserted, updated)
            self._audit(inserted, updated)
            if self.ledger is not None:
                self.ledger.record_rows(changed)

    # --- career history ----------------------------------------------------------------------

    def _history(self, inserted: list[tuple[RowPlan, int]], updated: list[RowPlan]) -> None:
        """A first record for each new cadre; for a changed cadre, the current record closed and
        the next one opened (unit, post, rank, category changed) or closed only (调出, 退休,
        去世). Two statements per kind of change, whatever the row count."""
        today = timezone.localdate()
        rows = [
            history.record(
                pk, _facts(plan.values), plan.values.get("start") or today, plan.values["status"]
            )
            for plan, pk in inserted
        ]
        for plan, pk in inserted:
            rows += history.resume_records(pk, plan.values.get("career") or ())
        closing: dict[tuple, list[int]] = defaultdict(list)
        for plan in updated:
            changes, existing = plan.changes, plan.existing
            status = changes["status"][1] if "status" in changes else existing.status
            day = plan.values.get("start") or today
            if status in history.CLOSING:
                if "status" in changes:
                    closing[(today, str(history.CLOSING[status]))].append(existing.pk)
                continue
            facts_changed = any(f in changes for f in HISTORY_FIELDS)
            if facts_changed or "status" in changes:
                if facts_changed:
                    closing[(day, "changed")].append(existing.pk)
                facts = {f: getattr(existing, f) for f in HISTORY_FIELDS if f != "unit"}
                facts["unit"] = existing.unit_id
                facts.update({f: new for f, (_, new) in changes.items() if f in HISTORY_FIELDS})
                if isinstance(facts["unit"], Org):
                    facts["unit"] = facts["unit"].pk
                rows.append(history.record(existing.pk, facts, day))
        history.close(closing)
        history.insert(rows)

    # --- units the administrator chose to create --------------------------------------------

    def _create_units(self, plans: list[RowPlan]) -> None:
        wanted = {p.values["unit"].name for p in plans if isinstance(p.values.get("unit"), NewUnit)}
        for name in sorted(wanted):
            org = self.lookups.units.match(name)
            if isinstance(org, NewUnit):
                org = self._create_unit(name)
            for plan in plans:
                if plan.values.get("unit") == NewUnit(name):
                    plan.values["unit"] = org
                    if "unit" in plan.changes:
                        plan.changes["unit"] = (plan.changes["unit"][0], org)

    @transaction.atomic
    def _create_unit(self, name: str) -> Org:
        parent = self.create_under
        org = _insert_org(
            parent=parent, code=self._free_code(parent), name=name[:100], level="department"
        )
        snap = {f: getattr(org, f) for f in ORG_FIELDS}
        snap["parent"] = parent.name
        audit_record(actor=self.actor, action="create", obj=org, changes=diff({}, snap))
        if self.ledger is not None:
            self.ledger.record_unit(org.name)
        self.lookups.units.add(org)
        self._units_by_id[org.pk] = org
        self.created_units.append(org)
        return org

    @staticmethod
    def _free_code(parent: Org) -> str:
        prefix = f"{parent.code}-"
        # scope: codes are unique over the whole tree, so a new code must miss every org's
        with unscoped():
            taken = Org.objects.filter(code__startswith=prefix).values_list("code", flat=True)
            numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
        return f"{prefix}{max(numbers, default=0) + 1:03d}"

    # --- cadres ------------------------------------------------------------------------------

    def _insert(self, plans: list[RowPlan]) -> list[tuple[RowPlan, int]]:
        now, ops = db_datetime(timezone.now()), connection.ops
        rows, hashes = [], []
        for plan in plans:
            v, idn = plan.values, plan.parsed.id_number
            texts = [v.get(name, "") for name in TEXT_FIELDS]
            texts[PHONE] = _encrypted_phone(texts[PHONE])
            born = db_date(v["birth_date"], ops)
            hashes.append(id_hash(idn))
            secret = encrypt(idn, context=ID_CONTEXT)
            rows.append(
                (
                    secret,
                    hashes[-1],
                    idn[-4:],
                    born,
                    v["unit"].pk,
                    v.get("rank_title"),
                    v.get("personnel_category"),
                    now,
                    now,
                    *texts,
                )
            )
        if not rows:
            return []
        before = _max_id()
        insert_rows(Cadre, [*INSERT_FIELDS, *TEXT_FIELDS], rows)
        ids = _ids_after(before)
        return [(plan, ids[h]) for plan, h in zip(plans, hashes, strict=True)]

    @staticmethod
    def _link_categories(inserted: list[tuple[RowPlan, int]]) -> None:
        rows = [
            (pk, category)
            for plan, pk in inserted
            for category in sorted(plan.values.get("categories", ()))
        ]
        insert_rows(Link, ["cadre", "cadrecategory"], rows)

    def _update(self, plans: list[RowPlan]) -> None:
        now = db_datetime(timezone.now())
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for plan in plans:
            fields = tuple(sorted(f for f in plan.changes if f != "categories"))
            if fields:
                values = tuple(_db_value(name, plan.changes[name][1]) for name in fields)
                groups[fields].append((*values, now, plan.existing.pk))
        for fields, rows in groups.items():
            update_rows(Cadre, [*fields, "updated_at"], rows)
        recategorised = [p for p in plans if "categories" in p.changes]
        pks = [p.existing.pk for p in recategorised]
        for start in range(0, len(pks), IN_STEP):
            Link.objects.filter(cadre_id__in=pks[start : start + IN_STEP]).delete()
        rows = [
            (p.existing.pk, c) for p in recategorised for c in sorted(p.changes["categories"][1])
        ]
        insert_rows(Link, ["cadre", "cadrecategory"], rows)

    # --- audit -------------------------------------------------------------------------------

    def _audit(self, inserted: list[tuple[RowPlan, int]], updated: list[RowPlan]) -> None:
        info = current_request_info()  # the same for every row
        head = (
            self._now,
            self.actor.pk if getattr(self.actor, "pk", None) else None,
            getattr(self.actor, "username", "") or "system",
            info.ip,
            info.channel,
        )
        rows = []
        if inserted:
            # one entry per batch naming the cadres it created (their values are the cadre rows
            # themselves); an entry per person would cost more than the inserts
            created = [[pk, plan.values["name"]] for plan, pk in inserted]
            repr_ = f"名册导入新建 {len(created)} 人"
            rows.append(
                (
                    *head,
                    "create",
                    "orgs.cadre",
                    "import-batch",
                    repr_,
                    to_json({"created": [None, created]}),
                )
            )
        rows += [
            (
                *head,
                "update",
                "orgs.cadre",
                str(p.existing.pk),
                p.values["name"][:200],
                to_json(self._changes(p)),
            )
            for p in updated
        ]
        insert_rows(AuditEntry, AUDIT_FIELDS, rows)

    def _changes(self, plan: RowPlan) -> dict:
        out = {}
        for name, (old, new) in plan.changes.items():
            if name == "unit":
                old = self._units_by_id[old].name if old in self._units_by_id else old
                new = new.name
            elif name == "categories":
                old, new = self._category_names(old), self._category_names(new)
            elif name in ("rank_title", "personnel_category"):
                name_of = self.lookups.vocab.name_of
                old, new = name_of(name, old), name_of(name, new)
            elif name == "phone":  # personal data stays out of the log in the clear
                old, new = mask_phone(old or ""), mask_phone(new or "")
            out[name] = [_plain(old), _plain(new)]
        return out

    def _category_names(self, ids) -> list[str]:
        names = self.lookups.category_names
        return sorted(names.get(i, str(i)) for i in ids)


def _facts(values: dict) -> dict:
    return {**values, "unit": values["unit"].pk}


def _max_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(Cadre._meta.db_table)}")
        return cursor.fetchone()[0] or 0


def _ids_after(before: int) -> dict[str, int]:
    """The ids just given to the batch: one range query instead of hundreds of IN lookups.
    Ids only grow, so every row this batch inserted has an id above the maximum before it."""
    table = connection.ops.quote_name(Cadre._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_hash, id FROM {table} WHERE id > %s", [before])
        return dict(cursor.fetchall())


def _encrypted_phone(phone: str) -> str:
    return encrypt(phone, context=PHONE_CONTEXT) if phone else ""


def _db_value(name: str, value):
    if name == "phone":
        return _encrypted_phone(value or "")
    if isinstance(value, Org):
        return value.pk
    if isinstance(value, date):
        return db_date(value)
    return value


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
