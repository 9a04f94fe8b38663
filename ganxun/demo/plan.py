"""The whole demo city as plain data, before anything touches the database.

``build_plan(seed=…, cadres=…)`` is a pure function of its arguments: it draws from its own
``random.Random(seed)`` (never the global generator), so the same seed gives the same city,
person for person. Tests compare two plans directly; the loader writes one.
"""

import random
from dataclasses import dataclass

from ganxun.accounts.models import Role
from ganxun.demo.names import TEACHING_POSITIONS
from ganxun.demo.people import CATEGORIES, CadreRow, build_people, minimum_cadres
from ganxun.demo.places import OrgRow, build_tree, village_count
from ganxun.orgs.errors import OrgError
from ganxun.orgs.models import Cadre

DEFAULT_SEED = 1
DEFAULT_CADRES = 50_000

# The demo logins, in the order the table prints them, with the name the table gives each.
DEMO_ACCOUNTS = {
    "admin": "培训管理员",
    "organizer": "教务组织者",
    "reviewer": "审核领导",
    "lecturer": "授课教师",
    "county_admin": "培训管理员（区县）",
    "contact": "单位联络员",
    "trainee": "学员",
}


@dataclass(frozen=True, slots=True)
class AccountSpec:
    username: str
    role: str
    display_name: str
    org_pk: int
    cadre_pk: int | None = None


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    orgs: list[OrgRow]
    cadres: list[CadreRow]
    categories: tuple[tuple[str, str], ...]
    accounts: list[AccountSpec]


def build_plan(*, seed: int = DEFAULT_SEED, cadres: int = DEFAULT_CADRES) -> DemoPlan:
    rng = random.Random(seed)
    orgs = build_tree(rng, villages=village_count(cadres))
    needed = minimum_cadres(orgs)
    if cadres < needed:
        raise OrgError(
            "demo_too_few_cadres",
            f"演示城市有 {len(orgs):,} 个单位，每个单位须配齐书记和行政正职，"
            f"干部人数至少为 {needed:,}（现为 {cadres:,}）。",
            minimum=needed,
        )
    people = build_people(rng, orgs, cadres)
    return DemoPlan(
        seed=seed,
        orgs=orgs,
        cadres=people,
        categories=CATEGORIES,
        accounts=plan_accounts(orgs, people),
    )


def plan_accounts(orgs: list[OrgRow], cadres: list[CadreRow]) -> list[AccountSpec]:
    """A login for every role: city-wide staff at the root, one county's administrator, one
    township's contact, and a trainee of that same township (who can also use the ID number)."""
    city = orgs[0]
    party_school = next(o for o in orgs if o.parent_pk == city.pk and o.kind == "party_school")
    county = next(o for o in orgs if o.level == "county")
    townships = [o for o in orgs if o.parent_pk == county.pk and o.level == "township"]
    township = next((o for o in townships if o.kind == "town"), townships[0])
    lecturer = _pick(cadres, party_school.pk, prefer=lambda c: c.position in TEACHING_POSITIONS)
    trainee = _pick(cadres, township.pk, prefer=lambda c: not c.leader_role)
    return [
        AccountSpec("admin", Role.ADMIN, "市委组织部干部教育科", city.pk),
        AccountSpec("organizer", Role.ORGANIZER, "市委党校教务处", city.pk),
        AccountSpec("reviewer", Role.REVIEWER, "市委组织部分管领导", city.pk),
        AccountSpec("lecturer", Role.LECTURER, lecturer.name, party_school.pk, lecturer.pk),
        AccountSpec("county_admin", Role.ADMIN, f"{county.name}委组织部", county.pk),
        AccountSpec("contact", Role.UNIT_CONTACT, f"{township.name}党政办", township.pk),
        AccountSpec("trainee", Role.TRAINEE, trainee.name, township.pk, trainee.pk),
    ]


def _pick(cadres: list[CadreRow], unit_pk: int, prefer) -> CadreRow:
    """The first active cadre of the unit that ``prefer`` likes; else its first active one (a
    small --cadres may leave a unit with its leaders only)."""
    here = [c for c in cadres if c.unit_pk == unit_pk and c.status == Cadre.Status.ACTIVE]
    return next((c for c in here if prefer(c)), here[0])
