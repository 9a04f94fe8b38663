"""Matching the unit names written in a roster to organizations inside the importer's scope.

Exact name first; then with the usual abbreviations folded (中共…委员会 = …委, 人民政府 = 政府);
then with the parent's name in front ("东江县东湖镇", "甬江市委组织部" for 市委组织部 under 甬江市).
A code is accepted too, which settles names that occur more than once.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Org
from ganxun.orgs.roster.errors import CellError

_PARTY_PREFIXES = ("中国共产党", "中共")
_FOLDS = (("委员会", "委"), ("人民政府", "政府"), ("（", "("), ("）", ")"))
_PLACE_SUFFIXES = ("街道", "市", "县", "区", "镇", "乡")


def unit_key(name: str) -> str:
    """'中共东江县委员会' and '东江县委' share the key '东江县委'."""
    key = "".join(unicodedata.normalize("NFKC", name).split())
    for prefix in _PARTY_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    for long, short in _FOLDS:
        key = key.replace(long, short)
    return key


def _stem(place: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


@dataclass(frozen=True)
class NewUnit:
    """A unit the administrator chose to create (under ``parent``) when the commit runs."""

    name: str

    def __str__(self) -> str:
        return self.name


class UnitMatcher:
    def __init__(self, root: Org, *, create_under: Org | None = None):
        self.root = root
        self.create_under = create_under
        # scope: the import root's subtree; the caller authorised the root (jobs._authorise)
        with unscoped():
            orgs = list(
                Org.objects.filter(path__startswith=root.path).only(
                    "id", "name", "code", "path", "parent_id", "is_active"
                )
            )
        self.by_id = {o.pk: o for o in orgs}
        self._exact, self._folded = defaultdict(list), defaultdict(list)
        self._by_code = {o.code: o for o in orgs}
        for org in orgs:
            self._exact[org.name].append(org)
            self._folded[unit_key(org.name)].append(org)
            parent = self.by_id.get(org.parent_id)
            if parent is not None:
                for prefix in {parent.name, _stem(parent.name)}:
                    self._folded[unit_key(prefix + org.name)].append(org)
        self._cache: dict[str, Org | NewUnit] = {}

    def add(self, org: Org) -> None:
        """A unit created during the commit is found by name from then on."""
        self.by_id[org.pk] = org
        self._exact[org.name].append(org)
        self._folded[unit_key(org.name)].append(org)
        self._cache.pop(org.name, None)

    def match(self, name: str) -> Org | NewUnit:
        if name not in self._cache:
            self._cache[name] = self._match(name)
        return self._cache[name]

    def _match(self, name: str) -> Org | NewUnit:
        if name in self._by_code:
            return self._usable(name, [self._by_code[name]])
        for found in (self._exact.get(name), self._folded.get(unit_key(name))):
            if found:
                return self._usable(name, found)
        if self.create_under is not None:
            return NewUnit(name)
        raise CellError(self._missing_message(name))

    def _usable(self, name: str, found: list[Org]) -> Org:
        active = list({o.pk: o for o in found if o.is_active}.values())
        if len(active) == 1:
            return active[0]
        if not active:
            raise CellError(_("单位“%(name)s”已撤销；请改为该干部现在所在的单位") % {"name": name})
        places = "、".join(self._parent_name(o) for o in active[:5])
        raise CellError(
            _(
                "单位名称“%(name)s”在导入范围内有 %(n_active)s 个（分别在%(places)s之下），无法确"
                "定是哪一个；请改填单位编码，或写上上级名称（如“东江县东湖镇”）"
            )
            % {"name": name, "n_active": len(active), "places": places}
        )

    def _parent_name(self, org: Org) -> str:
        parent = self.by_id.get(org.parent_id)
        return f"“{parent.name}”" if parent else "根节点"

    def _missing_message(self, name: str) -> str:
        # scope: only says whether the name exists outside the import scope, no row is shown
        with unscoped():
            elsewhere = Org.objects.filter(name=name).exists()
        if elsewhere:
            return (
                f"单位“{name}”不在导入范围“{self.root.name}”之内（不在您的管理范围内）；"
                "请只导入本范围内的人员，或由上级管理员导入"
            )
        return (
            f"在“{self.root.name}”及其下级中找不到单位“{name}”；请核对单位全称，"
            "或请管理员在导入时勾选“自动新建找不到的单位”"
        )
