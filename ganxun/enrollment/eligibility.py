"""Does a cadre fit a program's 培训对象? Pure functions over the program's free-text target
groups (e.g. "东江县乡科级及以下干部", "年轻干部、后备干部"): ranks by level words (with 及以上 /
及以下), categories by the names of the roster's categories. Nothing named → no warning."""

from dataclasses import dataclass

from ganxun.orgs.models import Cadre

R = Cadre.Rank
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


@dataclass(frozen=True)
class Target:
    ranks: frozenset[str] | None  # None: any rank
    categories: frozenset[str] | None  # category names; None: any


def parse_target(text: str, category_names: list[str]) -> Target:
    text = text or ""
    ranks: set[str] = set()
    for word, level in LEVELS.items():
        at = text.find(word)
        if at < 0:
            continue
        ranks.update(level)
        tail = text[at + len(word) : at + len(word) + 4]
        if tail.startswith("及以下"):
            ranks.update(RANK_ORDER[RANK_ORDER.index(level[-1]) :])
        elif tail.startswith("及以上"):
            ranks.update(RANK_ORDER[: RANK_ORDER.index(level[0]) + 1])
    cats = {name for name in category_names if name and name in text}
    return Target(frozenset(ranks) or None, frozenset(cats) or None)


def warnings_for(target: Target, rank: str, category_names: set[str]) -> list[str]:
    """What does not fit, in words an organizer reads at a glance."""
    out = []
    if target.ranks is not None and rank not in target.ranks:
        out.append(f"职级“{R(rank).label}”不在培训对象范围内")
    if target.categories is not None and not (target.categories & category_names):
        out.append("不属于" + "、".join(sorted(target.categories)))
    return out
