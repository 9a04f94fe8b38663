"""学时 for the demo: the ledger of the contact's township, so the contact's compliance page, the
admin's drill-down (市 → 县 → 镇) and the trainee's 培训档案 show realistic figures; the other
townships have no records yet, as in a city that has just started keeping the ledger.

Bulk INSERTs only (the demo city has 50,000 cadres): attendance and teaching already in the
database are credited through the same ``ledger.sync`` a recompute uses; the history — classes
(集中培训, 域外培训) and online-learning records (网络培训, as imported from 干部网络学院) — is
drawn per cadre: five years for 县处级 leaders (their requirement spans five years), this year
and last for everyone else. About two in three cadres meet their requirements.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ganxun.credits import ledger
from ganxun.credits.defaults import DEFAULT_REQUIREMENTS, LEADERS
from ganxun.credits.jobs import sync_credits
from ganxun.credits.models import Channel, CreditEntry, ExternalRecord, Requirement
from ganxun.orgs.models import Cadre

PLATFORM = "浙江干部网络学院"
CLASSES = [
    "习近平新时代中国特色社会主义思想专题轮训",
    "乡镇党委书记履职能力提升班",
    "基层治理现代化专题培训",
    "年轻干部理论与实践培训班",
    "乡村振兴战略专题研讨班",
]
ONLINE = ["党的二十大精神解读", "数字政府建设", "依法行政概论", "防范化解重大风险", "党史学习"]
BATCH = 5000
DAY_HOURS = Decimal("7.5")


@dataclass(frozen=True)
class CreditsSummary:
    entries: int
    external_records: int


def build_credits(users: dict, rng: random.Random) -> CreditsSummary:
    if not Requirement.objects.exists():
        Requirement.objects.bulk_create(Requirement(**row) for row in DEFAULT_REQUIREMENTS)
    sync_credits()  # attendance and teaching already recorded by the demo program
    contact, admin = users.get("contact"), users.get("admin")
    if contact is None or admin is None:
        return CreditsSummary(0, 0)
    cadres = list(
        Cadre.objects.filter(unit__path__startswith=contact.org.path, status=Cadre.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "rank")
    )
    today = timezone.localdate()
    entries, records = [], []
    for pk, rank in cadres:
        leader = rank in LEADERS
        years = range(today.year - 4, today.year + 1) if leader else (today.year - 1, today.year)
        keen = rng.random() < 0.67  # meets the requirements, or falls short somewhere
        for year in years:
            _classes(entries, rng, pk, year, today, leader, keen)
            _online(records, rng, pk, year, today, keen, admin)
    ExternalRecord.objects.bulk_create(records, batch_size=BATCH)
    written = list(ExternalRecord.objects.filter(import_job="demo").values_list(
        "pk", "cadre_id", "completed_on", "hours", "course", "record_id"
    ))  # fmt: skip
    entries += [
        CreditEntry(
            cadre_id=cadre_id,
            day=day,
            hours=hours,
            channel=Channel.ONLINE,
            title=course,
            source=f"ext:{pk}",
            ref_key=f"ext:{pk}/1",
            reason=f"{PLATFORM} 记录 {record_id}",
            recorded_by_id=admin.pk,
        )
        for pk, cadre_id, day, hours, course, record_id in written
    ]
    ledger.write(entries)
    return CreditsSummary(entries=len(entries), external_records=len(written))


def _day(rng: random.Random, year: int, today: date) -> date:
    last = today - timedelta(days=1) if year == today.year else date(year, 12, 31)
    span = max((last - date(year, 1, 1)).days, 0)
    return date(year, 1, 1) + timedelta(days=rng.randint(0, span))


def _classes(out: list, rng, cadre_id: int, year: int, today: date, leader: bool, keen) -> None:
    """One or two classes a year, a line per three days (22.5 学时); leaders need 550 学时 over
    five years (about 110 a year), others 12 days (90 学时) a year."""
    target = 120 if leader else 96
    days = round(target * (rng.uniform(1.0, 1.25) if keen else rng.uniform(0.2, 0.9)) / 7.5)
    classes = [days // 2, days - days // 2] if days > 8 else [days]
    for n, length in enumerate(classes):
        title = rng.choice(CLASSES)
        channel = Channel.OUT_OF_REGION if rng.random() < 0.1 else Channel.CENTRAL
        first = _day(rng, year, today)
        for d in range(0, length, 3):
            day = min(first + timedelta(days=d), today - timedelta(days=1))
            hours = DAY_HOURS * min(3, length - d)
            source = f"demo:{cadre_id}:{year}:{n}:{d}"
            out.append(
                CreditEntry(
                    cadre_id=cadre_id,
                    day=day,
                    hours=hours,
                    channel=channel,
                    title=title,
                    source=source,
                    ref_key=f"{source}/1",
                    reason="历史培训记录（演示数据）",
                )
            )


def _online(out: list, rng, cadre_id: int, year: int, today: date, keen, admin) -> None:
    """Platform records adding up to about 50 学时 a year for the keen."""
    total = rng.uniform(52, 64) if keen else rng.uniform(10, 45)
    courses = rng.randint(3, 5)
    for n in range(courses):
        out.append(
            ExternalRecord(
                platform=PLATFORM,
                record_id=f"ZJ{year}{cadre_id:07d}{n}",
                cadre_id=cadre_id,
                course=rng.choice(ONLINE),
                hours=Decimal(round(total / courses * 2) / 2),
                completed_on=_day(rng, year, today),
                imported_by=admin,
                import_job="demo",
            )
        )
