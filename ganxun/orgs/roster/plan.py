"""Classifying parsed rows against the database: new, update, unchanged or error.

The ID number is the key. Existing cadres are looked up in bulk, one IN query per few hundred
rows (SQLite's variable limit), so a 100,000-row file costs about a hundred queries, not 100,000.
Only the columns the file has are compared: a roster without a 手机 column leaves phones alone.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from ganxun.core.crypto import decrypt, is_encrypted
from ganxun.orgs.lookup import id_hash
from ganxun.orgs.models import Cadre, CadreHistory, Org
from ganxun.orgs.roster.errors import RowError
from ganxun.orgs.roster.headers import Header
from ganxun.orgs.roster.lrmx import career_problems
from ganxun.orgs.roster.rows import Lookups, ParsedRow
from ganxun.orgs.roster.units import NewUnit

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
STATUSES = (ERROR, NEW, UPDATE, UNCHANGED)  # the preview lists errors first
COMPARED = (
    "name",
    "gender",
    "birth_date",
    "unit",
    "position",
    "rank_title",
    "rank",
    "personnel_category",
    "categories",
    "leader_role",
    "phone",
    "status",
    "note",
)
_EXISTING_COLUMNS = (  # the cadre's columns, in Existing's order; the unit's path and name follow
    "id",
    "id_hash",  # stands in for the encrypted number; replaced by the number it was found by
    "name",
    "gender",
    "birth_date",
    "unit_id",
    "position",
    "rank_title_id",
    "rank",
    "personnel_category_id",
    "leader_role",
    "phone",
    "status",
    "note",
)
# the fields a career-history record holds: a change of any of them opens a new record
HISTORY_FIELDS = ("unit", "position", "rank_title", "rank", "personnel_category")
_ABSENT = object()
PHONE_CONTEXT = "orgs.cadre.phone"


@dataclass(slots=True)
class Existing:
    """The stored record, as plain values (no model instances for 100,000 rows)."""

    pk: int
    id_number: str
    name: str
    gender: str
    birth_date: date
    unit_id: int
    position: str
    rank_title: int | None
    rank: str
    personnel_category: int | None
    leader_role: str
    phone: str
    status: str
    note: str
    unit_path: str
    unit_name: str
    current_start: date | None = None  # the open history record's start
    categories: frozenset = frozenset()


@dataclass
class RowPlan:
    parsed: ParsedRow
    status: str
    existing: Existing | None = None
    changes: dict[str, tuple] = field(default_factory=dict)  # field -> (old, new)

    @property
    def row(self) -> int:
        return self.parsed.row

    @property
    def values(self) -> dict:
        return self.parsed.values


class Planner:
    def __init__(self, *, root: Org, header: Header, lookups: Lookups, default_rank=None):
        self.root = root
        # the RankChoice the uploader chose for new people whose row names none (任免审批表
        # have no 职级 box); None: such rows are refused
        self.default_rank = default_rank
        self.header = header
        self.lookups = lookups
        # tags come from their own column, or from an older export's 人员类别 column
        self.with_categories = "categories" in header.columns or (
            "personnel_category" in header.columns
        )

    def classify(self, chunk: list[ParsedRow]) -> list[RowPlan]:
        found = self._fetch([p.id_number for p in chunk if p.id_number and not p.errors])
        return [self._plan(parsed, found.get(parsed.id_number)) for parsed in chunk]

    def _plan(self, parsed: ParsedRow, existing: Existing | None) -> RowPlan:
        if parsed.errors:
            return RowPlan(parsed, ERROR)
        if existing is None:
            return self._plan_new(parsed)
        if not existing.unit_path.startswith(self.root.path):
            return self._refuse(
                parsed,
                "id_number",
                f"该身份证号已登记在“{existing.unit_name}”（不在您的管理范围内）；"
                "同一人只能登记一次，如需调入请联系原单位或上级管理员",
                "out_of_scope",
            )
        changes = {}
        values = parsed.values
        for name in COMPARED:
            new = values.get(name, _ABSENT)
            if new is _ABSENT:
                continue  # the file has no such column: leave the stored value alone
            if name == "unit":
                if isinstance(new, NewUnit) or new.pk != existing.unit_id:
                    changes[name] = (existing.unit_id, new)
                continue
            if name == "status" and not new:
                continue  # a blank 状态 keeps the current one
            old = getattr(existing, name)
            if old != new:
                changes[name] = (old, new)
        start = values.get("start")
        current = existing.current_start
        moved = any(f in changes for f in HISTORY_FIELDS)
        if moved and start is not None and current is not None and start < current:
            return self._refuse(
                parsed,
                "start",
                f"任职时间 {start:%Y.%m.%d} 早于当前任职记录的开始时间 "
                f"{current:%Y.%m.%d}，任职经历不能重叠；请核对任职时间",
                "history_overlap",
            )
        return RowPlan(parsed, UPDATE if changes else UNCHANGED, existing, changes)

    def _plan_new(self, parsed: ParsedRow) -> RowPlan:
        values = parsed.values
        if not values.get("rank_title") and self.default_rank is not None:
            values["rank_title"], values["rank"] = self.default_rank.pk, self.default_rank.level
        if not values.get("rank_title"):
            return self._refuse(
                parsed,
                "rank",
                "新登记的干部必须填写职级；请填写职级（如乡科级正职、副科、一级主任科员）"
                if "rank" in self.header.columns
                else "新登记的干部必须填写职级，但文件中没有“职级”列；请增加该列后再导入",
                "rank_required",
            )
        if values.get("career"):
            problem = self._career_problem(parsed)
            if problem is not None:
                return problem
        values.setdefault("unit", self.root)  # a roster of one unit often has no 单位 column
        if not values.get("status"):
            values["status"] = Cadre.Status.ACTIVE
        return RowPlan(parsed, NEW)

    def _career_problem(self, parsed: ParsedRow) -> RowPlan | None:
        """简历 of a new person: every line possible, the closed ones ended by the start of the
        current record (任职时间, else the open line's start, else today)."""
        values, today = parsed.values, date.today()
        lines = values["career"]
        problems = career_problems(lines, birth=values["birth_date"], today=today)
        open_line = lines[-1] if lines[-1].end is None else None
        start = values.get("start") or (open_line.start if open_line else None)
        closed_end = max((line.end for line in lines if line.end), default=None)
        if not problems and start and closed_end and closed_end > start:
            problems.append(
                _("简历中的经历至 %(end)s，晚于现任职务的任职时间 %(start)s")
                % {"end": f"{closed_end:%Y.%m}", "start": f"{start:%Y.%m.%d}"}
            )
        if problems:
            return self._refuse(parsed, "career", "；".join(problems), "career_dates")
        if start is not None:
            values["start"] = start
        return None

    def _refuse(self, parsed: ParsedRow, field_name: str, message: str, code: str) -> RowPlan:
        parsed.errors.append(RowError(parsed.row, self.header.label(field_name), message, code))
        return RowPlan(parsed, ERROR)

    def _fetch(self, ids: list[str]) -> dict[str, Existing]:
        """Plain SQL, as the ORM's IN lookup prepares each of 100,000 values one by one.
        Rows are found by the keyed hash of the number; the phone is decrypted to compare."""
        found: dict[str, Existing] = {}
        step = 900 if connection.vendor == "sqlite" else 5000
        by_hash = {id_hash(number): number for number in ids}
        hashes = list(by_hash)
        with connection.cursor() as cursor:
            for start in range(0, len(hashes), step):
                part = hashes[start : start + step]
                cursor.execute(_existing_sql(len(part)), _params(part))
                for row in cursor.fetchall():
                    existing = Existing(*row)
                    existing.id_number = by_hash[existing.id_number]
                    if is_encrypted(existing.phone):
                        existing.phone = decrypt(existing.phone, context=PHONE_CONTEXT)
                    if isinstance(existing.birth_date, str):  # SQLite hands back text
                        existing.birth_date = date.fromisoformat(existing.birth_date)
                    if isinstance(existing.current_start, str):
                        existing.current_start = date.fromisoformat(existing.current_start)
                    found[existing.id_number] = existing
        if self.with_categories and found:
            self._attach_categories(found, step)
        return found

    @staticmethod
    def _attach_categories(found: dict[str, Existing], step: int) -> None:
        by_pk = {e.pk: e for e in found.values()}
        links: dict[int, set] = {pk: set() for pk in by_pk}
        pks = list(by_pk)
        with connection.cursor() as cursor:
            for start in range(0, len(pks), step):
                part = pks[start : start + step]
                cursor.execute(_links_sql(len(part)), _params(part))
                for cadre_id, category_id in cursor.fetchall():
                    links[cadre_id].add(category_id)
        for pk, categories in links.items():
            by_pk[pk].categories = frozenset(categories)


def _in(count: int) -> str:
    """PostgreSQL takes the keys as one array (measured faster than a long IN list); SQLite,
    which has no arrays, one parameter each."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)"
    return "IN (" + ", ".join(["%s"] * count) + ")"


def _params(keys: list) -> list:
    return [keys] if connection.vendor == "postgresql" else keys


def _existing_sql(count: int) -> str:
    quote = connection.ops.quote_name
    cadre, org = quote(Cadre._meta.db_table), quote(Org._meta.db_table)
    history = quote(CadreHistory._meta.db_table)
    columns = ", ".join(f"c.{quote(c)}" for c in _EXISTING_COLUMNS)
    current = (
        f"(SELECT MAX(h.{quote('start')}) FROM {history} h WHERE h.{quote('cadre_id')} = "
        f"c.{quote('id')} AND h.{quote('end')} IS NULL)"
    )
    return (
        f"SELECT {columns}, o.{quote('path')}, o.{quote('name')}, {current} FROM {cadre} c "
        f"JOIN {org} o ON o.{quote('id')} = c.{quote('unit_id')} "
        f"WHERE c.{quote('id_hash')} {_in(count)}"
    )


def _links_sql(count: int) -> str:
    quote = connection.ops.quote_name
    link = quote(Cadre.categories.through._meta.db_table)
    return f"SELECT cadre_id, cadrecategory_id FROM {link} WHERE cadre_id {_in(count)}"
