"""Writes to teaching points, their visits and training bases. One transaction each, audited."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import Course, SiteVisit, TeachingSite, TrainingBase
from ganxun.catalog.services.common import (
    clean_text,
    full_snapshot,
    record,
    require_editable,
    require_editor,
    require_visible,
    set_links,
)

if TYPE_CHECKING:
    from ganxun.accounts.models import User

SITE_FIELDS = [
    "name",
    "kind",
    "address",
    "capacity",
    "contact_name",
    "contact_phone",
    "highlights",
    "owner",
]
BASE_FIELDS = [
    "name",
    "in_region",
    "partner",
    "location",
    "capacity",
    "contact_name",
    "contact_phone",
    "note",
    "owner",
]


def _check_phone(phone: str, field_name: str = "contact_phone") -> str:
    phone = str(phone or "").strip()
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        raise CatalogError("invalid_phone", _("联系电话只能包含数字和“-”。"), field=field_name)
    return phone


def _check_name_free(actor: "User", model, owner, name: str, exclude_pk=None) -> None:
    clash = model.objects.visible_to(actor).filter(owner=owner, name=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise CatalogError(
            "duplicate_name",
            _("%(owner)s已登记过“%(name)s”。") % {"owner": owner.name, "name": name},
            field="name",
        )


# --- teaching points -------------------------------------------------------------------------


@dataclass
class SiteData:
    name: str
    kind: str
    address: str = ""
    capacity: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    highlights: str = ""


def _site_validate(data: SiteData) -> SiteData:
    data.name = clean_text(data.name, field="name", label=_("名称"), max_length=100)
    data.kind = clean_text(data.kind, field="kind", label=_("类别"), max_length=20)
    data.contact_phone = _check_phone(data.contact_phone)
    return data


def _save_site(site: TeachingSite, data: SiteData) -> None:
    for name in SITE_FIELDS:
        if name != "owner":
            setattr(site, name, getattr(data, name))
    site.save()


@transaction.atomic
def site_create(*, actor: "User", data: SiteData) -> TeachingSite:
    require_editor(actor)
    data = _site_validate(data)
    _check_name_free(actor, TeachingSite, actor.org, data.name)
    site = TeachingSite(owner=actor.org)
    _save_site(site, data)
    record(actor, "create", site, {}, full_snapshot(site, SITE_FIELDS))
    return site


@transaction.atomic
def site_update(*, actor: "User", site: TeachingSite, data: SiteData) -> TeachingSite:
    require_editor(actor)
    require_editable(actor, site)
    data = _site_validate(data)
    _check_name_free(actor, TeachingSite, site.owner, data.name, exclude_pk=site.pk)
    before = full_snapshot(site, SITE_FIELDS)
    _save_site(site, data)
    record(actor, "update", site, before, full_snapshot(site, SITE_FIELDS))
    return site


@transaction.atomic
def site_delete(*, actor: "User", site: TeachingSite) -> None:
    require_editor(actor)
    require_editable(actor, site)
    record(actor, "delete", site, full_snapshot(site, SITE_FIELDS), {})
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    TeachingSite._base_manager.filter(pk=site.pk).delete()


@transaction.atomic
def site_visit_add(
    *,
    actor: "User",
    site: TeachingSite,
    visited_on: date,
    group: str,
    headcount: int,
    note: str = "",
) -> SiteVisit:
    """Record a visit the point hosted (接待记录)."""
    require_editor(actor)
    require_editable(actor, site)
    group = clean_text(group, field="group", label=_("来访班次/单位"), max_length=100)
    if not headcount or headcount < 1:
        raise CatalogError("invalid_headcount", _("人数须为正整数。"), field="headcount")
    if site.capacity and headcount > site.capacity:
        raise CatalogError(
            "over_capacity",
            _("%(site)s最多容纳 %(capacity)s 人，本次 %(headcount)s 人。")
            % {"site": site.name, "capacity": site.capacity, "headcount": headcount},
            field="headcount",
        )
    visit = SiteVisit.objects.create(
        site=site, visited_on=visited_on, group=group, headcount=headcount, note=note.strip()
    )
    record(
        actor,
        "create",
        visit,
        {},
        {"site": site.name, "visited_on": visited_on.isoformat(), "headcount": headcount},
    )
    return visit


@transaction.atomic
def site_visit_delete(*, actor: "User", visit: SiteVisit) -> None:
    require_editor(actor)
    require_editable(actor, visit.site)
    record(actor, "delete", visit, {"group": visit.group, "headcount": visit.headcount}, {})
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    SiteVisit._base_manager.filter(pk=visit.pk).delete()


# --- training bases --------------------------------------------------------------------------


@dataclass
class BaseData:
    name: str
    in_region: bool = True
    partner: str = ""
    location: str = ""
    capacity: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    note: str = ""
    courses: list[Course] = field(default_factory=list)


def _base_validate(actor: "User", data: BaseData) -> BaseData:
    data.name = clean_text(data.name, field="name", label=_("名称"), max_length=100)
    data.contact_phone = _check_phone(data.contact_phone)
    require_visible(actor, Course, data.courses, field="courses", label=_("课程"))
    return data


def _save_base(base: TrainingBase, data: BaseData) -> None:
    for name in BASE_FIELDS:
        if name != "owner":
            setattr(base, name, getattr(data, name))
    base.save()
    set_links(base, "courses", data.courses)


@transaction.atomic
def base_create(*, actor: "User", data: BaseData) -> TrainingBase:
    require_editor(actor)
    data = _base_validate(actor, data)
    _check_name_free(actor, TrainingBase, actor.org, data.name)
    base = TrainingBase(owner=actor.org)
    _save_base(base, data)
    record(actor, "create", base, {}, full_snapshot(base, BASE_FIELDS, ("courses",)))
    return base


@transaction.atomic
def base_update(*, actor: "User", base: TrainingBase, data: BaseData) -> TrainingBase:
    require_editor(actor)
    require_editable(actor, base)
    data = _base_validate(actor, data)
    _check_name_free(actor, TrainingBase, base.owner, data.name, exclude_pk=base.pk)
    before = full_snapshot(base, BASE_FIELDS, ("courses",))
    _save_base(base, data)
    record(actor, "update", base, before, full_snapshot(base, BASE_FIELDS, ("courses",)))
    return base


@transaction.atomic
def base_delete(*, actor: "User", base: TrainingBase) -> None:
    require_editor(actor)
    require_editable(actor, base)
    record(actor, "delete", base, full_snapshot(base, BASE_FIELDS, ("courses",)), {})
    # scope: the row the caller holds (fetched in scope, require_editable checked above)
    TrainingBase._base_manager.filter(pk=base.pk).delete()
