"""Saving a program's 培训对象 as groups (a union of intersections); the text
``Program.target_groups`` is regenerated from them, in the same transaction, audited."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.core.errors import PermissionDenied
from ganxun.core.scoping import children_of, refetch
from ganxun.core.services import set_links
from ganxun.enrollment import eligibility, policies
from ganxun.enrollment.errors import EnrollmentError
from ganxun.enrollment.models import EligibilityGroup
from ganxun.enrollment.services.common import record, require_open_program
from ganxun.orgs.models import Cadre, CadreCategory, Org
from ganxun.programs.models import Program

if TYPE_CHECKING:
    from ganxun.accounts.models import User


@dataclass
class GroupData:
    units: list[Org] = field(default_factory=list)
    ranks: list[str] = field(default_factory=list)
    categories: list[CadreCategory] = field(default_factory=list)
    leader_roles: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None


def _refuse(i: int, code: str, message: str, name: str | None = None):
    """Refusals name the group (``<index>-<field>``) so the page shows them beside the field."""
    raise EnrollmentError(
        code,
        _("第 %(value)s 组：%(message)s") % {"value": i + 1, "message": message},
        field=f"{i}-{name or '__all__'}",
    )


def _check(actor: "User", program: Program, i: int, g: GroupData) -> eligibility.Group:
    for unit in g.units:
        if not unit.path.startswith(program.org.path):
            _refuse(i, "unit_outside", f"“{unit.name}”不在本项目举办单位的范围内。", "units")
    if set(g.units) and not set(
        Org.objects.visible_to(actor)
        .filter(pk__in=[u.pk for u in g.units])
        .values_list("pk", flat=True)
    ) >= {u.pk for u in g.units}:
        _refuse(i, "not_visible", "所选单位不在您可使用的范围内。", "units")
    if set(g.ranks) - set(Cadre.Rank.values):
        _refuse(i, "invalid_rank", "职级无效。", "ranks")
    roles = set(Cadre.LeaderRole.values) - {""}
    if set(g.leader_roles) - roles:
        _refuse(i, "invalid_role", "领导职务无效。", "leader_roles")
    for name, age in (("min_age", g.min_age), ("max_age", g.max_age)):
        if age is not None and not eligibility.MIN_AGE <= age <= eligibility.MAX_AGE:
            _refuse(
                i,
                "invalid_age",
                f"年龄应在 {eligibility.MIN_AGE} 到 {eligibility.MAX_AGE} 岁之间。",
                name,
            )
    if g.min_age is not None and g.max_age is not None and g.min_age > g.max_age:
        _refuse(i, "invalid_age", "最低年龄不能大于最高年龄。", "max_age")
    group = eligibility.Group(
        unit_ids={u.pk for u in g.units},
        ranks=set(g.ranks),
        category_ids={c.pk for c in g.categories},
        leader_roles=set(g.leader_roles),
        min_age=g.min_age,
        max_age=g.max_age,
    )
    if group.is_empty():
        _refuse(i, "empty_group", "请至少选择一项条件（单位、职级、类别、领导职务或年龄）。")
    return group


@transaction.atomic
def eligibility_save(*, actor: "User", program: Program, groups: list[GroupData]) -> str:
    """Replace the program's groups; no groups means "everyone" (no warnings). Returns the
    regenerated 培训对象 text."""
    if not policies.can_manage_quotas(actor, program):
        raise PermissionDenied()
    require_open_program(program)
    checked = [_check(actor, program, i, g) for i, g in enumerate(groups)]
    unit_names = {u.pk: u.name for g in groups for u in g.units}
    category_names = {c.pk: c.name for g in groups for c in g.categories}
    text = eligibility.render_groups(checked, unit_names, category_names)
    if len(text) > 300:
        raise EnrollmentError(
            "text_too_long", _("培训对象文字超过 300 字，请合并或减少分组。"), field="__all__"
        )
    program = refetch(program, lock=True)
    before = {"target_groups": program.target_groups}
    children_of(program, EligibilityGroup, "program").delete()
    for seq, (data, group) in enumerate(zip(groups, checked, strict=True), 1):
        row = EligibilityGroup.objects.create(
            program=program,
            seq=seq,
            ranks=sorted(group.ranks),
            leader_roles=sorted(group.leader_roles),
            min_age=group.min_age,
            max_age=group.max_age,
            for_text=text,
        )
        set_links(row, "units", data.units)
        set_links(row, "categories", data.categories)
    # scope: the held program locked above: its display text only, without save()'s hooks
    Program._base_manager.filter(pk=program.pk).update(target_groups=text)
    program.target_groups = text
    record(actor, "update", program, before, {"target_groups": text, "groups": len(groups)})
    return text
