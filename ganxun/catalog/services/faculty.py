"""Writes to the faculty pool. One transaction each, audited."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, Lecturer, Proposal, split_tags
from ganxun.catalog.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_editable,
    require_editor,
)
from ganxun.core.scoping import children_of
from ganxun.orgs.models import Cadre

if TYPE_CHECKING:
    from ganxun.accounts.models import User

LECTURER_FIELDS = [
    "name",
    "kind",
    "affiliation",
    "title",
    "specialties",
    "is_external",
    "phone",
    "bio",
    "availability",
    "cadre",
    "is_active",
    "owner",
]


@dataclass
class LecturerData:
    name: str
    kind: str = Lecturer.Kind.OTHER
    affiliation: str = ""
    title: str = ""
    specialties: str | list[str] = ""
    is_external: bool = False
    phone: str = ""
    bio: str = ""
    availability: str = ""
    cadre: Cadre | None = None
    is_active: bool = True


def lecturer_validate(actor: "User", data: LecturerData) -> LecturerData:
    data.name = "".join(clean_text(data.name, field="name", label=_("姓名"), max_length=50).split())
    if data.kind not in Lecturer.Kind.values:
        raise CatalogError("invalid_kind", _("请选择师资类型。"), field="kind")
    data.affiliation = clean_text(
        data.affiliation, field="affiliation", label=_("工作单位"), required=False, max_length=100
    )
    data.title = clean_text(
        data.title, field="title", label=_("职务/职称"), required=False, max_length=100
    )
    tags = data.specialties if isinstance(data.specialties, list) else split_tags(data.specialties)
    data.specialties = "、".join(tags)
    if len(data.specialties) > 300:
        raise CatalogError("too_long", _("专长领域过长（最多 300 字）。"), field="specialties")
    data.phone = str(data.phone or "").strip()
    if data.phone and not data.phone.replace("-", "").replace(" ", "").isdigit():
        raise CatalogError("invalid_phone", _("联系电话只能包含数字和“-”。"), field="phone")
    roster = Cadre.objects.visible_to(actor)
    if data.cadre is not None and not roster.filter(pk=data.cadre.pk).exists():
        raise CatalogError("not_visible", _("所选干部不在您的名册范围内。"), field="cadre")
    return data


def _check_not_duplicate(
    actor: "User", owner, data: LecturerData, exclude_pk: int | None = None
) -> None:
    clash = Lecturer.objects.visible_to(actor).filter(
        owner=owner, name=data.name, affiliation=data.affiliation
    )
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        where = f"（{data.affiliation}）" if data.affiliation else ""
        raise CatalogError(
            "duplicate_lecturer",
            _("师资库中已有%(name)s%(where)s。") % {"name": data.name, "where": where},
            field="name",
        )


def _apply(lecturer: Lecturer, data: LecturerData) -> None:
    for name in LECTURER_FIELDS:
        if name != "owner":
            setattr(lecturer, name, getattr(data, name))
    lecturer.save()


@transaction.atomic
def lecturer_create(*, actor: "User", data: LecturerData) -> Lecturer:
    require_editor(actor)
    data = lecturer_validate(actor, data)
    _check_not_duplicate(actor, actor.org, data)
    lecturer = Lecturer(owner=actor.org)
    _apply(lecturer, data)
    record(actor, "create", lecturer, {}, full_snapshot(lecturer, LECTURER_FIELDS))
    return lecturer


@transaction.atomic
def lecturer_update(*, actor: "User", lecturer: Lecturer, data: LecturerData) -> Lecturer:
    require_editor(actor)
    require_editable(actor, lecturer)
    data = lecturer_validate(actor, data)
    _check_not_duplicate(actor, lecturer.owner, data, exclude_pk=lecturer.pk)
    before = full_snapshot(lecturer, LECTURER_FIELDS)
    _apply(lecturer, data)
    record(actor, "update", lecturer, before, full_snapshot(lecturer, LECTURER_FIELDS))
    return lecturer


# Apps built on the catalogue (programs: scheduled sessions) name what else a lecturer is due
# to teach. They register a provider when they start, so the catalogue never imports them.
COMMITMENT_PROVIDERS: list[Callable[[Lecturer], list[str]]] = []


def register_commitments(provider: Callable[[Lecturer], list[str]]) -> None:
    if provider not in COMMITMENT_PROVIDERS:
        COMMITMENT_PROVIDERS.append(provider)


def _future_commitments(lecturer: Lecturer) -> list[str]:
    """What the lecturer is still due to teach, in words a user can act on.

    Deleting a lecturer must not leave a published course, a proposal under review or a
    scheduled session without its teacher.
    """
    # every commitment counts, in courses and calls the actor may not see
    courses = children_of(lecturer, Course, "lecturers").filter(status=Course.Status.PUBLISHED)
    courses = courses.order_by("title")
    proposals = (
        children_of(lecturer, Proposal, "lecturer")
        .filter(
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.REVIEWING],
        )
        .select_related("call")
        .order_by("title")
    )
    return (
        [_("已发布课程《%(course)s》") % {"course": c.title} for c in courses]
        + [
            _("课程申报《%(proposal)s》（%(call)s，%(status)s）")
            % {"proposal": p.title, "call": p.call.title, "status": p.get_status_display()}
            for p in proposals
        ]
        + [line for provider in COMMITMENT_PROVIDERS for line in provider(lecturer)]
    )


@transaction.atomic
def lecturer_delete(*, actor: "User", lecturer: Lecturer) -> None:
    """Remove a lecturer entered by mistake or gone for good; refused while still teaching."""
    require_editor(actor)
    require_editable(actor, lecturer)
    commitments = _future_commitments(lecturer)
    if commitments:
        raise CatalogError(
            "lecturer_has_commitments",
            _(
                "%(lecturer)s仍承担以下教学任务，不能删除：%(tasks)s。"
                "请先更换主讲人或停用课程，或将其设为“不在库”。"
            )
            % {"lecturer": lecturer.name, "tasks": "；".join(commitments)},
            commitments=commitments,
        )
    record(actor, "delete", lecturer, full_snapshot(lecturer, LECTURER_FIELDS), {})
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    Lecturer._base_manager.filter(pk=lecturer.pk).delete()
