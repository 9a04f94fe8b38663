"""Choosing respondents: org subtrees, ranks, 人员类别, tags, age bands and leader roles.

Criteria of different kinds narrow each other (AND); values of one kind widen (OR). An empty
kind does not narrow. Only active cadres in the survey's own subtree and the actor's scope match.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from ganxun.core.scoping import unscoped
from ganxun.needs.models import AgeBand, UnitLevel
from ganxun.orgs.models import Cadre, CadreCategory, Org, PersonnelCategory

# Inclusive age ranges in whole years.
AGE_RANGES = {
    AgeBand.UP_TO_35: (0, 35),
    AgeBand.AGE_36_45: (36, 45),
    AgeBand.AGE_46_55: (46, 55),
    AgeBand.FROM_56: (56, 150),
}
TIER_LEVELS = {
    Org.Level.CITY: UnitLevel.CITY,
    Org.Level.COUNTY: UnitLevel.COUNTY,
    Org.Level.TOWNSHIP: UnitLevel.TOWNSHIP,
    Org.Level.VILLAGE: UnitLevel.VILLAGE,
}


@dataclass
class Targeting:
    units: list[Org] = field(default_factory=list)
    ranks: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)  # tags (年轻干部 …)
    personnel_category_ids: list[int] = field(default_factory=list)  # 公务员, 参公, 事业 …
    age_bands: list[str] = field(default_factory=list)
    leader_roles: list[str] = field(default_factory=list)

    def as_record(self) -> dict:
        """What was chosen, in words, for the survey's targeting history."""
        return {
            "units": [u.name for u in self.units],
            "ranks": [str(Cadre.Rank(r).label) for r in self.ranks],
            "categories": list(
                CadreCategory.objects.filter(pk__in=self.category_ids).values_list(
                    "name", flat=True
                )
            ),
            "personnel_categories": list(
                PersonnelCategory.objects.filter(pk__in=self.personnel_category_ids).values_list(
                    "name", flat=True
                )
            ),
            "age_bands": [str(AgeBand(a).label) for a in self.age_bands],
            "leader_roles": [str(Cadre.LeaderRole(r).label) for r in self.leader_roles],
        }


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: date, day: date) -> str:
    age = age_on(birth, day)
    return next(band for band, (lo, hi) in AGE_RANGES.items() if lo <= age <= hi)


def _age_q(bands: list[str], today: date) -> Q:
    q = Q(pk__in=[])
    for band in bands:
        lo, hi = AGE_RANGES[AgeBand(band)]
        # Age in [lo, hi] ⇔ born after (today − (hi+1) years) and on or before (today − lo years).
        q |= Q(
            birth_date__gt=_years_before(today, hi + 1), birth_date__lte=_years_before(today, lo)
        )
    return q


def matching_cadres(actor, survey_org: Org, criteria: Targeting, today: date) -> QuerySet:
    qs = Cadre.objects.visible_to(actor).filter(
        status=Cadre.Status.ACTIVE, unit__path__startswith=survey_org.path
    )
    if criteria.units:
        subtree = Q(pk__in=[])
        for unit in criteria.units:
            subtree |= Q(unit__path__startswith=unit.path)
        qs = qs.filter(subtree)
    if criteria.ranks:
        qs = qs.filter(rank__in=criteria.ranks)
    if criteria.personnel_category_ids:
        qs = qs.filter(personnel_category_id__in=criteria.personnel_category_ids)
    if criteria.leader_roles:
        qs = qs.filter(leader_role__in=criteria.leader_roles)
    if criteria.age_bands:
        qs = qs.filter(_age_q(criteria.age_bands, today))
    if criteria.category_ids:
        # scope: only a tag filter inside the outer query, which keeps the actor's scope
        tagged = Cadre._base_manager.filter(categories__in=criteria.category_ids).values("pk")
        qs = qs.filter(pk__in=tagged)
    return qs


def unit_levels(units: list[Org]) -> dict[int, str]:
    """Each unit's tier; a department counts with the nearest non-department above it."""
    ancestor_ids = {a for unit in units for a in unit.ancestor_ids}
    # scope: the tiers of held units' ancestors (above the actor's root too); only levels read
    with unscoped():
        levels = dict(Org.objects.filter(pk__in=ancestor_ids).values_list("pk", "level"))
    out = {}
    for unit in units:
        chain = [unit.level] + [levels.get(a) for a in reversed(unit.ancestor_ids)]
        tier = next((lvl for lvl in chain if lvl in TIER_LEVELS), Org.Level.CITY)
        out[unit.pk] = TIER_LEVELS[tier]
    return out
