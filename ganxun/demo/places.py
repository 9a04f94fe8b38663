"""The demo city's organization tree, built in memory: 市 → 区县 → 乡镇街道 → 村社区, plus
departments under the city and under each county.

Primary keys are assigned here (1, 2, 3 … in creation order) because the materialized path is
made of them: with the ids known up front, every row is complete before the first INSERT and the
whole tree goes in with one bulk_create. The loader only runs on a database with no Org rows.
"""

import random
import re
from dataclasses import dataclass

from ganxun.demo import names
from ganxun.orgs.models import PATH_SEP, path_segment

TOWNSHIPS = 120
TOWNSHIPS_PER_COUNTY = (8, 16)
VILLAGES = 1500
VILLAGES_PER_TOWNSHIP = (5, 22)
FULL_SIZE_CADRES = 50_000  # the head count the full 1,500 villages are sized for


@dataclass(frozen=True, slots=True)
class OrgRow:
    """One node, complete with its id and path. ``kind`` refines ``level`` for the people
    generator (a 街道 has other posts than a 乡; a party school other staff than a 财政局)."""

    pk: int
    parent_pk: int | None
    code: str
    name: str
    level: str
    kind: str
    path: str
    depth: int
    sort: int
    address_code: str  # the 6 digits that open the ID numbers of people born here
    secretary_title: str
    head_title: str
    deputy_titles: tuple[str, ...]


class _Tree:
    """Hands out ids in creation order and derives each path from its parent's."""

    def __init__(self) -> None:
        self.rows: list[OrgRow] = []
        self._children: dict[int | None, int] = {}

    def add(self, parent: OrgRow | None, **fields) -> OrgRow:
        pk = len(self.rows) + 1
        parent_pk = parent.pk if parent else None
        sort = self._children.get(parent_pk, 0)
        self._children[parent_pk] = sort + 1
        row = OrgRow(
            pk=pk,
            parent_pk=parent_pk,
            path=(parent.path if parent else "") + path_segment(pk) + PATH_SEP,
            depth=parent.depth + 1 if parent else 0,
            sort=sort,
            **fields,
        )
        self.rows.append(row)
        return row


def spread(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """``parts`` counts between ``low`` and ``high`` that add up to exactly ``total``."""
    if not low * parts <= total <= high * parts:
        raise ValueError(f"cannot spread {total} over {parts} parts of {low}..{high}")
    counts = [low] * parts
    left = total - low * parts
    while left:
        i = rng.randrange(parts)
        if counts[i] < high:
            counts[i] += 1
            left -= 1
    return counts


def village_count(cadres: int) -> int:
    """1,500 villages for a full-size city; proportionally fewer (at least one per township)
    for a smaller --cadres, so that a quick demo still staffs every village."""
    return max(TOWNSHIPS, min(VILLAGES, round(VILLAGES * cadres / FULL_SIZE_CADRES)))


def _villages_per_township(villages: int) -> tuple[int, int]:
    scale = villages / VILLAGES
    low = max(1, round(VILLAGES_PER_TOWNSHIP[0] * scale))
    return low, max(low + 1, round(VILLAGES_PER_TOWNSHIP[1] * scale))


def build_tree(rng: random.Random, villages: int = VILLAGES) -> list[OrgRow]:
    tree = _Tree()
    city = tree.add(
        None,
        code=names.CITY_CODE,
        name=names.CITY_NAME,
        level="city",
        kind="city",
        address_code=names.CITY_CODE,
        secretary_title="市委书记",
        head_title="市长",
        deputy_titles=names.CITY_DEPUTIES,
    )
    for i, name in enumerate(names.CITY_DEPARTMENTS, start=1):
        _add_department(tree, city, name, f"{city.code}D{i:02d}", "city_dept")
    townships = spread(rng, TOWNSHIPS, len(names.COUNTIES), *TOWNSHIPS_PER_COUNTY)
    per_township = iter(spread(rng, villages, TOWNSHIPS, *_villages_per_township(villages)))
    used_township_names: set[str] = set()
    for i, (county_name, county_kind) in enumerate(names.COUNTIES, start=1):
        county = _add_county(tree, city, county_name, f"{int(city.code) + i}")
        for number, name in enumerate(_county_department_names(rng, county_name), start=1):
            _add_department(tree, county, name, f"{county.code}D{number:02d}", "county_dept")
        for j in range(1, townships[i - 1] + 1):
            kind = _township_kind(rng, county_kind, j)
            town = _add_township(tree, county, rng, kind, j, used_township_names)
            _add_villages(tree, town, rng, next(per_township))
    return tree.rows


def _add_county(tree: _Tree, city: OrgRow, name: str, code: str) -> OrgRow:
    s = name[-1]  # 县 or 区: 县委书记/县长, 区委书记/区长
    return tree.add(
        city,
        code=code,
        name=name,
        level="county",
        kind="county",
        address_code=code,
        secretary_title=f"{s}委书记",
        head_title=f"{s}长",
        deputy_titles=tuple(t.format(s=s) for t in names.COUNTY_DEPUTIES),
    )


def _add_department(tree: _Tree, parent: OrgRow, name: str, code: str, kind: str) -> OrgRow:
    secretary, head, deputy = department_titles(name)
    if name.endswith("党校"):
        kind = "party_school"
    return tree.add(
        parent,
        code=code,
        name=name,
        level="department",
        kind=kind,
        address_code=parent.address_code,
        secretary_title=secretary,
        head_title=head,
        deputy_titles=(deputy,),
    )


_PARTY_ORGAN = re.compile(r"[市县区]委")


def department_titles(name: str) -> tuple[str, str, str]:
    """(secretary, head, deputy) titles from the department's name: 局→局长, 部→部长, 委→主任."""
    if name.endswith("党校"):
        return "党委书记", "常务副校长", "副校长"
    if name.endswith("纪委监委"):
        return "纪委书记", "监委主任", "纪委副书记"
    if name.endswith("局"):
        head = "局长"
    elif name.endswith("部"):
        head = "部长"
    else:  # …委, …办公室, …编办
        head = "主任"
    # Party organs (县委组织部) have an organ party committee, government bodies a 党组.
    secretary = "机关党委书记" if _PARTY_ORGAN.search(name) else "党组书记"
    return secretary, head, "副" + head


def _county_department_names(rng: random.Random, county_name: str) -> list[str]:
    count = rng.randint(*names.COUNTY_DEPARTMENT_COUNT)
    extra = count - len(names.COUNTY_DEPARTMENTS_ALWAYS)
    picked = set(rng.sample(names.COUNTY_DEPARTMENTS_SOME, extra))
    # Keep the directory order: the mandatory ones first, then the picks as listed.
    suffixes = [
        *names.COUNTY_DEPARTMENTS_ALWAYS,
        *(s for s in names.COUNTY_DEPARTMENTS_SOME if s in picked),
    ]
    return [county_name + suffix for suffix in suffixes]


def _township_kind(rng: random.Random, county_kind: str, number: int) -> str:
    """An urban 区 is mostly 街道; a rural 县 has its seat as a 街道 and otherwise 镇 and 乡."""
    if county_kind == "district":
        return "street" if rng.random() < 0.6 else "town"
    if number == 1:
        return "street"
    roll = rng.random()
    return "town" if roll < 0.72 else "xiang" if roll < 0.95 else "street"


_TOWNSHIP_TITLES = {
    # kind: (suffix, secretary, head, deputies)
    "town": ("镇", "镇党委书记", "镇长", tuple(t.format(s="镇") for t in names.TOWN_DEPUTIES)),
    "xiang": ("乡", "乡党委书记", "乡长", tuple(t.format(s="乡") for t in names.TOWN_DEPUTIES)),
    "street": ("街道", "街道党工委书记", "街道办事处主任", names.STREET_DEPUTIES),
}


def _add_township(
    tree: _Tree, county: OrgRow, rng: random.Random, kind: str, number: int, used: set[str]
) -> OrgRow:
    suffix, secretary, head, deputies = _TOWNSHIP_TITLES[kind]
    name = _unique(rng, used, lambda: _place_word(rng) + suffix)
    return tree.add(
        county,
        code=f"{county.code}{number:03d}",
        name=name,
        level="township",
        kind=kind,
        address_code=county.address_code,
        secretary_title=secretary,
        head_title=head,
        deputy_titles=deputies,
    )


def _add_villages(tree: _Tree, town: OrgRow, rng: random.Random, count: int) -> None:
    used: set[str] = set()
    community_share = {"street": 0.8, "town": 0.15, "xiang": 0.0}[town.kind]
    for number in range(1, count + 1):
        is_community = rng.random() < community_share
        if is_community:
            name = _unique(rng, used, lambda: _community_word(rng) + "社区")
            titles = ("社区党委书记", "社区居委会主任")
        else:
            name = _unique(rng, used, lambda: _village_word(rng) + "村")
            titles = ("村党支部书记", "村委会主任")
        tree.add(
            town,
            code=f"{town.code}{number:03d}",
            name=name,
            level="village",
            kind="community" if is_community else "village",
            address_code=town.address_code,
            secretary_title=titles[0],
            head_title=titles[1],
            deputy_titles=(),
        )


def _unique(rng: random.Random, used: set[str], make) -> str:
    """Draw names until one is new; after many clashes, append a number rather than loop on."""
    for _ in range(50):
        name = make()
        if name not in used:
            used.add(name)
            return name
    name = make() + str(len(used))
    used.add(name)
    return name


def _place_word(rng: random.Random) -> str:
    first = rng.choice(names.PLACE_FIRST)
    second = rng.choice(names.PLACE_SECOND)
    return first + second if first != second else first + "家"


def _village_word(rng: random.Random) -> str:
    """李家村, 王岙村 or 东湖村: clan villages are common in the countryside."""
    roll = rng.random()
    surname = rng.choices(names.SURNAMES, cum_weights=names.SURNAME_CUM_WEIGHTS)[0]
    if roll < 0.35:
        return surname + "家"
    if roll < 0.5:
        return surname + rng.choice(names.PLACE_SECOND)
    return _place_word(rng)


def _community_word(rng: random.Random) -> str:
    return rng.choice(names.COMMUNITY_WORDS) if rng.random() < 0.6 else _place_word(rng)
