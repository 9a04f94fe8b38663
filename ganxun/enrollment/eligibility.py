"""Does a cadre fit a program's 培训对象? Pure functions, no database.

培训对象 is a **union of groups, each an intersection**: "东江县、梅溪县乡科级领导干部和年轻干部"
invites two groups — (东江县 or 梅溪县) ∧ 乡科级, and (东江县 or 梅溪县) ∧ 年轻干部. Inside a group,
values of one kind widen (any of the units, any of the ranks) and kinds narrow each other; an
empty kind does not narrow. A cadre fits when one group fits; a program with no groups invites
everyone (no warning). The groups are stored as ``enrollment.EligibilityGroup`` rows; the text
``Program.target_groups`` is their display (``render_groups``). ``parse_groups`` reads the free
text offices wrote before (the data migration and programs without groups use it).

What a cadre *is* comes from ``facts_of`` — the one place that reads the roster's fields
(rank, categories, leader role, birth date, unit), so new roster fields are wired in here.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ganxun.orgs.models import Cadre

R = Cadre.Rank
L = Cadre.LeaderRole
# From the top down, so "及以下" / "及以上" can take the rest of the list.
RANK_ORDER = [
    R.BUREAU_MAIN,
    R.BUREAU_DEPUTY,
    R.COUNTY_MAIN,
    R.COUNTY_DEPUTY,
    R.SECTION_MAIN,
    R.SECTION_DEPUTY,
    R.GENERAL,
]
LEVELS = {
    "厅局级": [R.BUREAU_MAIN, R.BUREAU_DEPUTY],
    "县处级": [R.COUNTY_MAIN, R.COUNTY_DEPUTY],
    "乡科级": [R.SECTION_MAIN, R.SECTION_DEPUTY],
    "一般干部": [R.GENERAL],
}
# Leader-role words, longest first (a word inside a longer one is not read twice).
LEADER_WORDS = [
    ("党政正职", [L.SECRETARY, L.HEAD]),
    ("主要负责人", [L.SECRETARY, L.HEAD]),
    ("主要领导", [L.SECRETARY, L.HEAD]),
    ("行政正职", [L.HEAD]),
    ("书记", [L.SECRETARY]),
]
# Where one group ends and the next begins ("和", "与", "以及", "；"); "及以上/及以下" are not.
GROUP_SPLIT = re.compile(r"以及|和|与|[;；]|及(?!以[上下])")
AGE_MAX = re.compile(r"(\d{2})\s*(?:周)?岁(?:及)?以下")
AGE_MIN = re.compile(r"(\d{2})\s*(?:周)?岁(?:及)?以上")
MIN_AGE, MAX_AGE = 18, 70


@dataclass
class Group:
    """One group of invited cadres; every field is a set of ids or codes (empty: any)."""

    unit_ids: set[int] = field(default_factory=set)
    ranks: set[str] = field(default_factory=set)
    category_ids: set[int] = field(default_factory=set)
    leader_roles: set[str] = field(default_factory=set)
    min_age: int | None = None
    max_age: int | None = None

    def is_empty(self) -> bool:
        return not (
            self.unit_ids
            or self.ranks
            or self.category_ids
            or self.leader_roles
            or self.min_age is not None
            or self.max_age is not None
        )


@dataclass(frozen=True)
class Facts:
    """What the eligibility rules read about a cadre."""

    unit_path: str
    rank: str
    category_ids: frozenset[int]
    leader_role: str
    birth_date: date | None


def facts_of(cadre) -> Facts:
    """The roster fields the criteria read (categories and unit prefetched by the caller)."""
    return Facts(
        unit_path=cadre.unit.path,
        rank=cadre.rank,
        category_ids=frozenset(c.pk for c in cadre.categories.all()),
        leader_role=cadre.leader_role or "",
        birth_date=cadre.birth_date,
    )


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- reading the free text --------------------------------------------------------------------


def _find_names(text: str, names: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(start, end, id) of each name found, longest match wins where names overlap."""
    found = []
    for pk, name in sorted(names, key=lambda n: -len(n[1] or "")):
        if not name:
            continue
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(s < end and start < e for s, e, _ in found):
                found.append((start, end, pk))
            start = text.find(name, end)
    return sorted(found)


def _ranks_in(text: str) -> set[str]:
    ranks: set[str] = set()
    for word, level in LEVELS.items():
        at = text.find(word)
        if at < 0:
            continue
        tail = text[at + len(word) : at + len(word) + 4]
        if tail.startswith("及以下"):
            ranks.update(RANK_ORDER[RANK_ORDER.index(level[0]) :])
        elif tail.startswith("及以上"):
            ranks.update(RANK_ORDER[: RANK_ORDER.index(level[-1]) + 1])
        elif tail.startswith("正职") and len(level) == 2:
            ranks.add(level[0])
        elif tail.startswith("副职") and len(level) == 2:
            ranks.add(level[1])
        else:
            ranks.update(level)
    return ranks


def _leaders_in(text: str) -> set[str]:
    roles: set[str] = set()
    for word, found in LEADER_WORDS:
        if word in text:
            roles.update(found)
            text = text.replace(word, "")
    return roles


def parse_groups(
    text: str, units: list[tuple[int, str]], categories: list[tuple[int, str]]
) -> list[Group]:
    """Read 培训对象 as offices write it. ``units`` are (id, name) of the program's subtree,
    ``categories`` (id, name) of the roster's 人员类别. Units named before the first group
    ("东江县、梅溪县……和……") qualify every later group that names none of its own; a part
    naming only units ("东江县和梅溪县乡科级干部") qualifies the part after it."""
    text = (text or "").replace(" ", "").replace("\u3000", "")
    # Unit names may contain 和/与 (和平镇): mask them before splitting into groups.
    unit_hits = _find_names(text, units)
    masked, unit_of = text, {}
    for i, (start, end, pk) in reversed(list(enumerate(unit_hits))):
        mark = chr(0xE000 + i)
        unit_of[mark] = pk
        masked = masked[:start] + mark + masked[end:]
    segments = [s for s in GROUP_SPLIT.split(masked) if s]
    groups: list[Group] = []
    shared: set[int] | None = None
    pending: set[int] = set()
    for index, segment in enumerate(segments):
        own_units = {unit_of[ch] for ch in segment if ch in unit_of}
        rest = "".join("·" if ch in unit_of else ch for ch in segment)
        cat_hits = _find_names(rest, categories)
        for start, end, _pk in reversed(cat_hits):
            rest = rest[:start] + "·" + rest[end:]
        group = Group(
            ranks=_ranks_in(rest),
            category_ids={pk for _s, _e, pk in cat_hits},
            leader_roles=_leaders_in(rest),
        )
        if m := AGE_MAX.search(rest):
            group.max_age = int(m.group(1))
        if m := AGE_MIN.search(rest):
            group.min_age = int(m.group(1))
        if group.is_empty() and index < len(segments) - 1:
            pending |= own_units  # only units: they qualify what follows
            continue
        group.unit_ids = own_units | pending
        pending = set()
        if shared is None:
            shared = set(group.unit_ids)
        elif not group.unit_ids:
            group.unit_ids = set(shared)
        if not group.is_empty():
            groups.append(group)
    return groups


# --- display ----------------------------------------------------------------------------------


def _ranks_text(ranks: set[str]) -> str:
    """Whole levels by their word (乡科级), the rest by rank label, top down."""
    words, left = [], set(ranks)
    for word, level in LEVELS.items():
        if set(level) <= left:
            words.append((RANK_ORDER.index(level[0]), word))
            left -= set(level)
    words += [(RANK_ORDER.index(r), str(R(r).label)) for r in left]
    return "、".join(w for _i, w in sorted(words))


def render_group(group: Group, unit_names: dict[int, str], category_names: dict[int, str]) -> str:
    parts = []
    if group.unit_ids:
        parts.append("、".join(sorted(unit_names.get(u, "?") for u in group.unit_ids)))
    if group.min_age is not None and group.max_age is not None:
        parts.append(f"{group.min_age}至{group.max_age}岁")
    elif group.max_age is not None:
        parts.append(f"{group.max_age}岁以下")
    elif group.min_age is not None:
        parts.append(f"{group.min_age}岁以上")
    if group.ranks:
        parts.append(_ranks_text(group.ranks))
    if group.leader_roles:
        parts.append("、".join(str(L(r).label) for r in L.values if r in group.leader_roles))
    if group.category_ids:
        parts.append("、".join(sorted(category_names.get(c, "?") for c in group.category_ids)))
    text = " ".join(parts)
    return text if text.endswith("干部") else text + "干部"


def render_groups(
    groups: list[Group], unit_names: dict[int, str], category_names: dict[int, str]
) -> str:
    """The 培训对象 text the groups stand for: groups joined by "；"."""
    return "；".join(render_group(g, unit_names, category_names) for g in groups)


# --- matching ---------------------------------------------------------------------------------


def mismatches(
    group: Group, facts: Facts, unit_paths: dict[int, str], category_names: dict[int, str], day
) -> list[str]:
    """What keeps the cadre out of this group, in words an organizer reads at a glance."""
    out = []
    if group.unit_ids and not any(
        facts.unit_path.startswith(unit_paths[u]) for u in group.unit_ids if u in unit_paths
    ):
        out.append(_("单位不在培训对象范围内"))
    if group.ranks and facts.rank not in group.ranks:
        out.append(_("职级“%(rank)s”不在培训对象范围内") % {"rank": R(facts.rank).label})
    if group.leader_roles and facts.leader_role not in group.leader_roles:
        roles = _("、").join(str(L(r).label) for r in sorted(group.leader_roles))
        out.append(_("不是%(roles)s") % {"roles": roles})
    if group.category_ids and not (group.category_ids & facts.category_ids):
        names = _("、").join(sorted(category_names.get(c, "?") for c in group.category_ids))
        out.append(_("不属于%(categories)s") % {"categories": names})
    if group.min_age is not None or group.max_age is not None:
        age = age_on(facts.birth_date, day) if facts.birth_date else None
        if age is None:
            out.append(_("缺少出生日期，无法判断年龄"))
        elif group.max_age is not None and age > group.max_age:
            out.append(_("年龄%(age)s岁，超过%(max)s岁") % {"age": age, "max": group.max_age})
        elif group.min_age is not None and age < group.min_age:
            out.append(_("年龄%(age)s岁，不满%(min)s岁") % {"age": age, "min": group.min_age})
    return out


def warnings_for(
    groups: list[Group],
    facts: Facts,
    unit_paths: dict[int, str],
    category_names: dict[int, str],
    day: date,
) -> list[str]:
    """Nothing when one group fits (or there are none); else what the nearest group misses."""
    if not groups:
        return []
    best: list[str] | None = None
    for group in groups:
        missed = mismatches(group, facts, unit_paths, category_names, day)
        if not missed:
            return []
        if best is None or len(missed) < len(best):
            best = missed
    return best or []
