"""Every write to the organization tree and the roster. One transaction each, audited."""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.core.audit import audit_record, diff, snapshot
from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import unscoped
from ganxun.orgs import history
from ganxun.orgs.errors import OrgError
from ganxun.orgs.idcard import IdNumber, InvalidIdNumber, parse_id_number
from ganxun.orgs.models import (
    PATH_SEP,
    Cadre,
    CadreCategory,
    CadreHistory,
    Org,
    PersonnelCategory,
    RankTitle,
    path_segment,
)
from ganxun.orgs.policies import (
    can_edit_roster,
    can_manage_orgs,
    can_reveal_id_number,
    can_see_full_id_number,
)
from ganxun.orgs.ranks import SOURCE, default_personnel_categories, default_ranks
from ganxun.orgs.vocab import UnknownWord, Vocabulary

if TYPE_CHECKING:
    from ganxun.accounts.models import User

ORG_FIELDS = ["code", "name", "level", "parent", "is_active", "sort"]
CADRE_FIELDS = [
    "name",
    "gender",
    "id_number",
    "birth_date",
    "unit",
    "position",
    "rank_title",
    "rank",
    "personnel_category",
    "leader_role",
    "phone",
    "status",
    "note",
]


# --- organizations ---------------------------------------------------------------------------


def _require_within_scope(actor: "User", org: Org | None) -> None:
    if org is None or actor.org is None or not org.is_within(actor.org):
        raise OrgError("org_out_of_scope", _("所选组织不在您的管理范围内。"), field="parent")


def _check_code_free(code: str, exclude_pk: int | None = None) -> None:
    # scope: codes are unique over the whole tree; only the clashing name is shown
    with unscoped():
        # pk=None matches no row, so it excludes nothing; the stubs reject None
        clash = Org.objects.filter(code=code).exclude(pk=exclude_pk).first()  # type: ignore[misc]
    if clash:
        raise OrgError(
            "duplicate_code",
            _("编码 %(code)s 已被“%(name)s”使用。") % {"code": code, "name": clash.name},
            field="code",
        )


@transaction.atomic
def org_create(
    *, actor: "User", parent: Org | None, code: str, name: str, level: str, sort: int = 0
) -> Org:
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    _require_within_scope(actor, parent)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise OrgError("required", _("编码和名称不能为空。"))
    _check_code_free(code)
    if parent is not None and not parent.is_active:
        raise OrgError(
            "parent_retired",
            _("上级“%(name)s”已撤销，不能在其下新建。") % {"name": parent.name},
            field="parent",
        )
    org = _insert_org(parent=parent, code=code, name=name, level=level, sort=sort)
    audit_record(actor=actor, action="create", obj=org, changes=diff({}, snapshot(org, ORG_FIELDS)))
    return org


def _insert_org(*, parent: Org | None, **values) -> Org:
    """Save, then derive the path from the new id (the path needs the id)."""
    org = Org(parent=parent, path="", depth=(parent.depth + 1) if parent else 0, **values)
    org.save()
    org.path = (parent.path if parent else "") + path_segment(org.pk) + PATH_SEP
    Org._base_manager.filter(pk=org.pk).update(path=org.path)  # scope: the row just inserted
    return org


@transaction.atomic
def org_update(*, actor: "User", org: Org, code: str, name: str, level: str, sort: int) -> Org:
    """Rename or recode a node; its id, place and history stay."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    _require_within_scope(actor, org)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise OrgError("required", _("编码和名称不能为空。"))
    _check_code_free(code, exclude_pk=org.pk)
    before = snapshot(org, ORG_FIELDS)
    org.code, org.name, org.level, org.sort = code, name, level, sort
    org.save(update_fields=["code", "name", "level", "sort"])
    audit_record(
        actor=actor, action="update", obj=org, changes=diff(before, snapshot(org, ORG_FIELDS))
    )
    return org


@transaction.atomic
def org_move(*, actor: "User", org: Org, new_parent: Org) -> Org:
    """Hang a node (and its whole subtree) under another parent, in one UPDATE of paths."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    _require_within_scope(actor, org)
    _require_within_scope(actor, new_parent)
    if org.parent_id is None:
        raise OrgError("cannot_move_root", _("根节点不能移动。"))
    if new_parent.is_within(org):
        raise OrgError(
            "move_into_own_subtree", _("不能把组织移动到它自己或它的下级之下。"), field="parent"
        )
    if not new_parent.is_active:
        raise OrgError(
            "parent_retired",
            _("“%(name)s”已撤销，不能移入。") % {"name": new_parent.name},
            field="parent",
        )
    before = snapshot(org, ORG_FIELDS)
    old_prefix = org.path
    new_prefix = new_parent.path + path_segment(org.pk) + PATH_SEP
    depth_shift = new_parent.depth + 1 - org.depth
    # scope: the moved node's own subtree, the node checked within the actor's scope above
    Org._base_manager.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_shift,
    )
    Org._base_manager.filter(pk=org.pk).update(parent=new_parent)  # scope: the held node
    org.refresh_from_db()
    audit_record(
        actor=actor, action="update", obj=org, changes=diff(before, snapshot(org, ORG_FIELDS))
    )
    return org


@transaction.atomic
def org_retire(*, actor: "User", org: Org) -> Org:
    """Retire (撤销) a node. Refused while active sub-nodes or active cadres remain under it."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    _require_within_scope(actor, org)
    if org.parent_id is None:
        raise OrgError("cannot_retire_root", _("根节点不能撤销。"))
    # scope: counts only, under a node checked within the actor's scope: nothing live may remain
    with unscoped():
        live_children = Org.objects.filter(parent=org, is_active=True).count()
        live_cadres = Cadre.objects.filter(
            unit__path__startswith=org.path, status=Cadre.Status.ACTIVE
        ).count()
    if live_children:
        raise OrgError(
            "has_active_children",
            _("该组织下还有 %(live_children)s 个在用的下级，请先处理。")
            % {"live_children": live_children},
        )
    if live_cadres:
        raise OrgError(
            "has_active_cadres",
            _("该组织下还有 %(live_cadres)s 名在职干部，请先调整其单位。")
            % {"live_cadres": live_cadres},
        )
    before = snapshot(org, ORG_FIELDS)
    org.is_active, org.retired_at = False, timezone.now()
    org.save(update_fields=["is_active", "retired_at"])
    audit_record(
        actor=actor, action="update", obj=org, changes=diff(before, snapshot(org, ORG_FIELDS))
    )
    return org


# --- cadres ----------------------------------------------------------------------------------


@dataclass
class CadreData:
    """What a form, the API or an import supplies for one cadre."""

    name: str
    id_number: str
    unit: Org
    rank: str
    gender: str = ""
    birth_date: date | None = None
    position: str = ""
    leader_role: str = ""
    phone: str = ""
    status: str = Cadre.Status.ACTIVE
    note: str = ""
    categories: list[CadreCategory] = field(default_factory=list)
    # 职级 as a row of the correspondence table; when only ``rank`` (a level) is given, the
    # leading-post rank of that level is recorded
    rank_title: RankTitle | None = None
    personnel_category: PersonnelCategory | None = None
    start: date | None = None  # 任职时间 of a change of unit, post, rank or category


def cadre_validate(data: CadreData) -> CadreData:
    """Normalise and check one record against the ID number; raise OrgError with a field."""
    data.name = clean_name(data.name)
    idn = clean_id_number(data.id_number)
    data.id_number = idn.value
    if data.birth_date is not None:
        check_birth_month(
            data.birth_date.year, {data.birth_date.month}, idn, shown=f"{data.birth_date:%Y-%m}"
        )
    data.birth_date = idn.birth_date
    data.gender = check_gender(data.gender, idn)
    if data.rank_title is None:
        check_rank(data.rank)  # a bare level (the API's and older callers' way)
        data.rank_title = rank_title_for_level(data.rank)
    else:
        data.rank = data.rank_title.level
    check_phone(data.phone)
    if data.start is not None:
        if data.start > timezone.localdate():
            raise OrgError("start_in_future", _("任职时间晚于今天，请核对。"), field="start")
        if data.start < data.birth_date:
            raise OrgError("start_before_birth", _("任职时间早于出生日期，请核对。"), field="start")
    return data


def resolve_rank_and_category(
    rank: str, category: str
) -> tuple[RankTitle | None, PersonnelCategory | None]:
    """A rank and a category as written (any spelling the tables know); OrgError if unknown."""
    vocab = Vocabulary()
    try:
        title = vocab.rank(rank)
    except UnknownWord as exc:
        raise OrgError(
            "invalid_rank",
            _("职级“%(rank)s”无法识别；可填写：%(items)s")
            % {"rank": rank, "items": "；".join(exc.accepted)},
            field="rank",
        ) from None
    try:
        kind = vocab.category(category)
    except UnknownWord as exc:
        raise OrgError(
            "invalid_personnel_category",
            _("人员类别“%(category)s”无法识别；可填写：%(items)s")
            % {"category": category, "items": "、".join(exc.accepted)},
            field="personnel_category",
        ) from None
    return (
        RankTitle.objects.get(pk=title.pk) if title else None,
        PersonnelCategory.objects.get(pk=kind.pk) if kind else None,
    )


def rank_title_for_level(level: str) -> RankTitle | None:
    """The leading-post rank (乡科级正职 …) standing for a bare level, for callers that give one."""
    return (
        RankTitle.objects.filter(level=level, system__in=["leading", "other"])
        .order_by("sort")
        .first()
    )


# The checks below are shared by the form/API path (cadre_validate) and the roster importer,
# which reports each refusal against a spreadsheet cell instead of a form field.


def clean_name(raw: str) -> str:
    """Spaces inside names come from aligning two-character names ("王  五"); drop them all."""
    name = "".join(str(raw).split())
    if not name:
        raise OrgError("required", _("姓名不能为空。"), field="name")
    return name


def clean_id_number(raw, *, today: date | None = None) -> IdNumber:
    try:
        return parse_id_number(raw, today=today)
    except InvalidIdNumber as exc:
        raise OrgError("invalid_id_number", str(exc), field="id_number") from None


def check_birth_month(
    year: int, months: Collection[int], idn: IdNumber, *, shown: str | Callable[[], str]
) -> None:
    """A roster gives 出生年月 (year and month); it must agree with the ID number's date.

    ``months`` may hold two candidates where the text is ambiguous (1985.1 is January, or October
    whose trailing zero Excel dropped); the ID number decides which one was meant.
    """
    born = idn.birth_date
    if year != born.year or born.month not in months:
        shown = shown() if callable(shown) else shown
        raise OrgError(
            "birth_date_mismatch",
            _("出生日期 %(shown)s 与身份证号中的 %(born)s 不一致。")
            % {"shown": shown, "born": f"{born:%Y-%m}"},
            field="birth_date",
        )


def check_gender(gender: str, idn: IdNumber) -> str:
    """Blank means "as the ID number says"; a given gender must match its 17th digit."""
    if not gender:
        return idn.gender
    if gender != idn.gender:
        raise OrgError("gender_mismatch", _("性别与身份证号（第17位）不一致。"), field="gender")
    return gender


def check_rank(rank: str) -> None:
    if rank not in Cadre.Rank.values:
        raise OrgError("invalid_rank", _("请选择职级。"), field="rank")


def check_phone(phone: str) -> None:
    if phone and not phone.replace("-", "").isdigit():
        raise OrgError("invalid_phone", _("手机号只能包含数字。"), field="phone")


def _check_id_number_free(id_number: str, exclude_pk: int | None = None) -> None:
    # scope: one person is registered once in the whole tree, wherever the first record is
    with unscoped():
        clash = (
            Cadre.objects.filter(id_number=id_number)
            # pk=None matches no row, so it excludes nothing; the stubs reject None
            .exclude(pk=exclude_pk)  # type: ignore[misc]
            .select_related("unit")
            .first()
        )
    if clash:
        raise OrgError(
            "duplicate_id_number",
            _("该身份证号已登记为“%(name)s”（%(name2)s），同一人只能登记一次。")
            % {"name": clash.name, "name2": clash.unit.name},
            field="id_number",
            existing_id=clash.pk,
        )


def _check_unit(actor: "User", unit: Org) -> None:
    if actor.org is None or not unit.is_within(actor.org):
        raise OrgError("unit_out_of_scope", _("所选单位不在您的管理范围内。"), field="unit")
    if not unit.is_active:
        raise OrgError(
            "unit_retired", _("单位“%(name)s”已撤销。") % {"name": unit.name}, field="unit"
        )


def _cadre_snapshot(cadre: Cadre) -> dict:
    snap = snapshot(cadre, CADRE_FIELDS)
    # the log shows that these changed, not the personal data itself (PIPL 第28条)
    snap["id_number"], snap["phone"] = cadre.id_number_masked, cadre.phone_masked
    snap["categories"] = sorted(c.name for c in cadre.categories.all())
    return snap


@transaction.atomic
def cadre_create(*, actor: "User", data: CadreData) -> Cadre:
    if not can_edit_roster(actor):
        raise PermissionDenied()
    data = cadre_validate(data)
    _check_unit(actor, data.unit)
    _check_id_number_free(data.id_number)
    cadre = Cadre(id_tail=data.id_number[-4:], **_model_values(data))
    cadre.save()
    cadre.categories.set(data.categories)
    history.insert(
        [
            history.record(
                cadre.pk, _history_facts(cadre), data.start or timezone.localdate(), cadre.status
            )
        ]
    )
    audit_record(actor=actor, action="create", obj=cadre, changes=diff({}, _cadre_snapshot(cadre)))
    return cadre


@transaction.atomic
def cadre_update(*, actor: "User", cadre: Cadre, data: CadreData) -> Cadre:
    if not can_edit_roster(actor):
        raise PermissionDenied()
    _check_unit(actor, cadre.unit)
    data = cadre_validate(data)
    _check_unit(actor, data.unit)
    _check_id_number_free(data.id_number, exclude_pk=cadre.pk)
    before = _cadre_snapshot(cadre)
    facts_before, status_before = _history_facts(cadre), cadre.status
    for name, value in _model_values(data).items():
        setattr(cadre, name, value)
    cadre.id_tail = cadre.id_number[-4:]
    cadre.save()
    cadre.categories.set(data.categories)
    _history_follow(cadre, facts_before, status_before, data.start)
    changes = diff(before, _cadre_snapshot(cadre))
    if changes:
        audit_record(actor=actor, action="update", obj=cadre, changes=changes)
    return cadre


@transaction.atomic
def cadre_id_number_reveal(*, actor: "User", cadre: Cadre, via: str = "页面") -> str:
    """One person's full 身份证号, on an explicit request; every showing is audited (PIPL 第28条,
    等保 安全审计). Pages and the API both come here."""
    if not can_reveal_id_number(actor, cadre):
        raise PermissionDenied()
    audit_record(
        actor=actor,
        action="view_sensitive",
        obj=cadre,
        changes={"field": [None, "身份证号"], "via": [None, via]},
    )
    return cadre.id_number


@transaction.atomic
def cadre_id_numbers_read(*, actor: "User", cadres: Collection[Cadre], via: str) -> None:
    """An integration whose token may read full numbers received these people's numbers in
    one answer: one audit entry per call naming each person."""
    if not can_see_full_id_number(actor):
        raise PermissionDenied()
    if not cadres:
        return
    ids = [c.pk for c in cadres]
    audit_record(
        actor=actor,
        action="view_sensitive",
        object_type="orgs.cadre",
        object_id=str(ids[0]) if len(ids) == 1 else "-",
        object_repr=f"接口读取完整身份证号 {len(ids)} 人"[:200],
        changes={"field": [None, "身份证号"], "via": [None, via], "cadres": [None, ids]},
    )


@transaction.atomic
def cadre_delete(*, actor: "User", cadre: Cadre) -> None:
    """Remove a record entered by mistake. People who leave are marked 调出/退休 instead."""
    if not can_edit_roster(actor):
        raise PermissionDenied()
    _check_unit(actor, cadre.unit)
    before = _cadre_snapshot(cadre)
    audit_record(actor=actor, action="delete", obj=cadre, changes=diff(before, {}))
    # scope: the row the caller holds (fetched in scope, _check_unit checked above)
    Cadre._base_manager.filter(pk=cadre.pk).delete()


def _history_facts(cadre: Cadre) -> dict:
    return {
        "unit": cadre.unit_id,
        "position": cadre.position,
        "rank_title": cadre.rank_title_id,
        "rank": cadre.rank,
        "personnel_category": cadre.personnel_category_id,
    }


def _history_follow(cadre: Cadre, facts_before: dict, status_before: str, start) -> None:
    """The form's edit, in the career history: a changed unit, post, rank or category closes
    the current record and opens the next (from ``start``, else today); 调出/退休/去世 close it."""
    today = timezone.localdate()
    if cadre.status in history.CLOSING:
        if status_before != cadre.status:
            history.close({(today, str(history.CLOSING[cadre.status])): [cadre.pk]})
        return
    facts = _history_facts(cadre)
    if facts == facts_before and status_before == cadre.status:
        return
    day = start or today
    current = history.current_start(cadre.pk)
    if current is not None and day < current:
        raise OrgError(
            "history_overlap",
            _("任职时间早于当前任职记录的开始时间 %(current)s，任职经历不能重叠。")
            % {"current": f"{current:%Y-%m-%d}"},
            field="start",
        )
    if facts != facts_before:
        history.close({(day, "changed"): [cadre.pk]})
    history.insert([history.record(cadre.pk, facts, day)])


def _model_values(data: CadreData) -> dict:
    return {name: getattr(data, name) for name in CADRE_FIELDS}


# --- categories ------------------------------------------------------------------------------


@transaction.atomic
def category_save(
    *, actor: "User", category: CadreCategory | None, code: str, name: str, sort: int = 0
):
    """Create (category=None) or rename a 人员类别. The list is shared by the whole tree."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    code, name = code.strip(), name.strip()
    _check_code_and_name(
        CadreCategory, category, code, name, _("类别“%(name)s”已存在。") % {"name": name}
    )
    return _row_save(
        actor=actor,
        row=category or CadreCategory(),
        fields=["code", "name", "sort"],
        values={"code": code, "name": name, "sort": sort},
    )


def _check_code_and_name(model, row, code: str | None, name: str | None, name_taken: str) -> None:
    """A reference-table row needs a code and a name, each unused by the table's other rows."""
    if not code or not name:
        raise OrgError("required", _("编码和名称不能为空。"))
    others = model.objects.exclude(pk=row.pk if row else None)
    if others.filter(code=code).exists():
        raise OrgError("duplicate_code", _("编码 %(code)s 已存在。") % {"code": code}, field="code")
    if others.filter(name=name).exists():
        raise OrgError("duplicate_name", name_taken, field="name")


def _row_save(*, actor, row, fields: list[str], values: dict, after_save=None):
    """Write ``values`` to a reference-table row (new when unsaved) and audit the change;
    ``after_save(before)`` runs between the save and the audit (what follows the row)."""
    before = snapshot(row, fields) if row.pk else {}
    for name in fields:
        setattr(row, name, values[name])
    row.save()
    if after_save is not None:
        after_save(before)
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=row,
        changes=diff(before, snapshot(row, fields)),
    )
    return row


def tag_add(*, actor: "User", name: str) -> CadreCategory:
    """A tag the roster import met and an administrator chose to keep: a free code is made
    from the list's size; an existing tag of that name is returned as is."""
    existing = CadreCategory.objects.filter(name=name.strip()).first()
    if existing is not None:
        return existing
    taken = set(CadreCategory.objects.values_list("code", flat=True))
    n = len(taken) + 1
    while f"tag{n}" in taken:
        n += 1
    return category_save(actor=actor, category=None, code=f"tag{n}", name=name[:50])


# --- the rank correspondence table and the personnel categories ------------------------------

RANK_FIELDS = ["code", "name", "system", "level", "synonyms", "source", "sort"]


@transaction.atomic
def rank_title_save(*, actor: "User", title: RankTitle | None, **values) -> RankTitle:
    """Add a rank to the correspondence table or change one. A changed level is carried to the
    cadres holding the rank and to their current history records (two UPDATEs)."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    code, name = values.get("code"), values.get("name")
    _check_code_and_name(RankTitle, title, code, name, _("职级“%(name)s”已存在。") % {"name": name})
    title = title or RankTitle()
    given = values
    values = {f: given.get(f, getattr(title, f)) or "" for f in RANK_FIELDS}
    values["sort"] = given.get("sort") or 0

    def level_follows(before: dict) -> None:
        if before and before.get("level") != title.level:
            with unscoped():  # scope: the table is the whole tree's: every holder follows it
                Cadre.objects.filter(rank_title=title).update(rank=title.level)
                CadreHistory.objects.filter(rank_title=title, end__isnull=True).update(
                    rank=title.level
                )

    return _row_save(
        actor=actor, row=title, fields=RANK_FIELDS, values=values, after_save=level_follows
    )


@transaction.atomic
def personnel_category_save(
    *,
    actor: "User",
    category: PersonnelCategory | None,
    code: str,
    name: str,
    synonyms: str = "",
    sort: int = 0,
) -> PersonnelCategory:
    """Extend or rename the 人员类别 list (公务员, 参公 …); shared by the whole tree."""
    if not can_manage_orgs(actor):
        raise PermissionDenied()
    code, name = code.strip(), name.strip()
    _check_code_and_name(
        PersonnelCategory, category, code, name, _("人员类别“%(name)s”已存在。") % {"name": name}
    )
    return _row_save(
        actor=actor,
        row=category or PersonnelCategory(),
        fields=["code", "name", "synonyms", "sort"],
        values={"code": code, "name": name, "synonyms": synonyms, "sort": sort},
    )


def reference_tables_ensure() -> None:
    """Seed the shipped correspondence table and personnel categories where they are empty.

    Migration ``orgs/0003`` seeds them; a database emptied afterwards (a test's flush, a
    restore of an older dump) would otherwise leave every rank unrecognised."""
    if not RankTitle.objects.exists():
        RankTitle.objects.bulk_create([RankTitle(source=SOURCE, **row) for row in default_ranks()])
    if not PersonnelCategory.objects.exists():
        PersonnelCategory.objects.bulk_create(
            [PersonnelCategory(**row) for row in default_personnel_categories()]
        )
