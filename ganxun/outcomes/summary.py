"""The four-level summary of a program (Kirkpatrick): reaction, learning, behaviour, results —
and the headline sentences leaders quote. Reaction and learning come from evaluations'
contract (``evaluations.progress``); behaviour from follow-ups, results from accepted outcomes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from ganxun.core.scoping import children_of
from ganxun.evaluations import progress as evaluations
from ganxun.outcomes.models import Certificate, FollowUp, Outcome
from ganxun.programs.models import ProgramTrainee


@dataclass
class Behaviour:
    count: int
    mean: float | None
    good_share: float | None  # share of follow-ups rated 4 or 5
    cadres_seen: int
    by_rating: dict[int, int] = field(default_factory=dict)


@dataclass
class Results:
    accepted: int
    by_kind: list[dict]  # {kind, label, count}
    effects: list[dict]  # {unit, total, count}: accepted outcomes' figures per unit of measure
    pending: int


@dataclass
class Summary:
    trainees: int
    graduates: int
    reaction: dict
    learning: dict
    behaviour: Behaviour
    results: Results
    headlines: list[str]


def behaviour(program) -> Behaviour:
    rows = children_of(program, FollowUp, "program")
    head = rows.aggregate(
        n=Count("pk"), mean=Avg("rating"), good=Count("pk", filter=Q(rating__gte=4))
    )
    by_rating = dict(
        rows.values("rating").annotate(n=Count("pk")).order_by().values_list("rating", "n")
    )
    seen = (
        FollowUp.cadres.through.objects.filter(followup__program=program)
        .values("cadre_id")
        .distinct()
        .count()
    )
    n = head["n"]
    return Behaviour(
        count=n,
        mean=round(head["mean"], 2) if head["mean"] is not None else None,
        good_share=round(head["good"] / n, 3) if n else None,
        cadres_seen=seen,
        by_rating={r: by_rating.get(r, 0) for r in range(1, 6)},
    )


def normalize_unit(unit: str) -> str:
    """ "万元 " and "万元" are one unit of measure; case folded for latin units (km, %)."""
    return " ".join(str(unit).split()).lower()


def results(program) -> Results:
    accepted = list(
        children_of(program, Outcome, "program")
        .filter(status=Outcome.Status.ACCEPTED)
        .values_list("kind", "effect_value", "effect_unit")
    )
    kinds: dict[str, int] = defaultdict(int)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    shown: dict[str, str] = {}
    for kind, value, unit in accepted:
        kinds[kind] += 1
        if value is not None and unit:
            key = normalize_unit(unit)
            shown.setdefault(key, unit.strip())
            totals[key] += value
            counts[key] += 1
    labels = dict(Outcome.Kind.choices)
    by_kind = [
        {"kind": k, "label": str(labels[k]), "count": kinds.get(k, 0)} for k in Outcome.Kind.values
    ]
    effects = [
        {"unit": shown[k], "total": _plain(totals[k]), "count": counts[k]}
        for k in sorted(totals, key=lambda k: (-counts[k], k))
    ]
    pending = children_of(program, Outcome, "program").filter(status=Outcome.Status.SUBMITTED)
    return Results(len(accepted), by_kind, effects, pending.count())


def _plain(value: Decimal) -> str:
    """12.00 → "12", 3.50 → "3.5": figures as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def headlines(summary: Summary) -> list[str]:
    out = [
        _("参训学员 %(trainees)s 人，结业 %(graduates)s 人。")
        % {"trainees": summary.trainees, "graduates": summary.graduates}
    ]
    r = summary.reaction
    if r.get("responses"):
        rate = (
            _("，回收率 %(rate)s") % {"rate": format(r["rate"], ".0%")}
            if r.get("rate") is not None
            else ""
        )
        out.append(
            _("课堂满意度平均 %(mean)s 分（5 分制，%(responses)s 份评价%(rate)s）。")
            % {"mean": format(r["mean"], ".2f"), "responses": r["responses"], "rate": rate}
        )
    le = summary.learning
    if le.get("gain") is not None:
        out.append(
            _("测评平均成绩由前测 %(pre)s 分提高到后测 %(post)s 分，人均提高 %(gain)s 分。")
            % {
                "pre": format(le["pre_mean"], ".1f"),
                "post": format(le["post_mean"], ".1f"),
                "gain": format(le["gain"], ".1f"),
            }
        )
    b = summary.behaviour
    if b.count:
        out.append(
            _(
                "一线调研 %(count)s 次、走访学员 %(cadres_seen)s"
                " 人次，学以致用评分平均 %(mean)s 分，%(good_share)s"
                " 评为良好以上（4 分及以上）。"
            )
            % {
                "count": b.count,
                "cadres_seen": b.cadres_seen,
                "mean": format(b.mean, ".1f"),
                "good_share": format(b.good_share, ".0%"),
            }
        )
    res = summary.results
    if res.accepted:
        kinds = _("、").join(
            _("%(kind)s %(n)s 项") % {"kind": k["label"], "n": k["count"]}
            for k in res.by_kind
            if k["count"]
        )
        line = _("采纳学用成果 %(accepted)s 项（%(kinds)s）") % {
            "accepted": res.accepted,
            "kinds": kinds,
        }
        if res.effects:
            line += _("，") + _("、").join(
                _("累计 %(total)s %(unit)s") % {"total": e["total"], "unit": e["unit"]}
                for e in res.effects[:3]
            )
        out.append(line + "。")
    return out


def program_summary(program) -> Summary:
    summary = Summary(
        trainees=children_of(program, ProgramTrainee, "program").count(),
        graduates=children_of(program, Certificate, "program")
        .filter(revoked_at__isnull=True)
        .count(),
        reaction=evaluations.program_reaction(program),
        learning=evaluations.program_learning(program),
        behaviour=behaviour(program),
        results=results(program),
        headlines=[],
    )
    summary.headlines = headlines(summary)
    return summary
