"""Spot checks of online learning (学习异常): patterns worth a look, listed with their evidence,
never acted on automatically. Read from play sessions of the last ``DAYS`` days, in the actor's
scope (the learners of their subtree), each kind one GROUP BY.

- **faster than real time**: reports the accounting refused or cut for claiming more time than
  passed (``PlaySession.suspect_reports``);
- **playing in parallel**: a session still playing (a report within ``PARALLEL_SECONDS``) when
  another of the same learner started — two devices or tabs at once;
- **one address, many learners**: one client address opening play sessions for many learners
  (a shared office connection is normal; a handful of accounts on one phone is not).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone

from ganxun.learning.models import PlaySession

if TYPE_CHECKING:
    from ganxun.accounts.models import User

DAYS = 30
MIN_SUSPECT = 3
MIN_PARALLEL = 3
PARALLEL_SECONDS = 30
MIN_LEARNERS_PER_ADDRESS = 5
SHOWN = 50


@dataclass(frozen=True)
class Finding:
    kind: str
    who: str  # a learner's name and unit, or an address
    count: int


def findings(actor: "User") -> dict[str, list[Finding]]:
    since = timezone.now() - timedelta(days=DAYS)
    plays = PlaySession.objects.visible_to(actor).filter(started_at__gte=since)
    fast = (
        plays.values("cadre__name", "cadre__unit__name")
        .annotate(n=Sum("suspect_reports"))
        .filter(n__gte=MIN_SUSPECT)
        .order_by("-n")[:SHOWN]
    )
    gap = ExpressionWrapper(F("superseded_at") - F("last_seen_at"), output_field=DurationField())
    parallel = (
        plays.filter(superseded_at__isnull=False, last_state="playing")
        .annotate(gap=gap)
        .filter(gap__lte=timedelta(seconds=PARALLEL_SECONDS))
        .values("cadre__name", "cadre__unit__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=MIN_PARALLEL)
        .order_by("-n")[:SHOWN]
    )
    shared = (
        plays.exclude(ip__isnull=True)
        .values("ip")
        .annotate(n=Count("cadre", distinct=True))
        .filter(n__gte=MIN_LEARNERS_PER_ADDRESS)
        .order_by("-n")[:SHOWN]
    )
    return {
        "fast": [_person("fast", r) for r in fast],
        "parallel": [_person("parallel", r) for r in parallel],
        "shared": [Finding("shared", r["ip"], r["n"]) for r in shared],
    }


def _person(kind: str, row: dict) -> Finding:
    return Finding(kind, f"{row['cadre__name']} · {row['cadre__unit__name']}", row["n"])
