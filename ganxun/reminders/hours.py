"""学时未达标: on the configured dates (default 1 Oct, 1 Nov, 1 Dec), after the configured
hour, every active cadre short of the year's requirement is told, and each unit's contacts
get the unit's count.

The figures are the credits app's own (``credits.selectors.compliance_report``: one GROUP BY
over the ledger, one read of the cadres, the requirements applied in Python — no query per
cadre); only the year's requirements count here (a five-year shortfall is not "this year").
All of one date and one governing setting is one occurrence: one key, one bulk send of every
recipient (50,000 cadres are one ``send_each``).
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from ganxun.accounts.selectors import unit_contacts
from ganxun.credits.selectors import compliance_report
from ganxun.messaging.outbox import Outgoing, To
from ganxun.orgs.models import Org
from ganxun.reminders.send import Book, fire, fired_keys
from ganxun.reminders.switches import HOURS_SHORT


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _due_owners(now: datetime, book: Book) -> dict[str, str]:
    """{governing org path ("" = defaults): occurrence key} of the settings due now."""
    local = timezone.localtime(now)
    today = (local.month, local.day)
    owners = {"": book.for_path(HOURS_SHORT, "\x00")}  # no org path starts with NUL: defaults
    for path in book.org_rows[HOURS_SHORT]:
        owners[path] = book.for_path(HOURS_SHORT, path)
    due = {}
    for path, setting in owners.items():
        if setting.enabled and today in setting.dates and local.hour >= setting.value:
            row = book.org_rows[HOURS_SHORT].get(path)
            owner = f"org:{row.org_id}" if row is not None else "default"
            due[path] = f"{HOURS_SHORT}:{local.date().isoformat()}:{owner}"
    return due


def hours_short(now: datetime, book: Book) -> dict[str, int]:
    due = _due_owners(now, book)
    done = fired_keys([*due.values(), *(f"{k}:units" for k in due.values())])
    due = {p: k for p, k in due.items() if k not in done or f"{k}:units" not in done}
    if not due:
        return {HOURS_SHORT: 0}
    local = timezone.localtime(now)
    year = local.year
    today = f"{local.month}月{local.day}日"
    people: dict[str, list[Outgoing]] = {p: [] for p in due}
    per_unit: dict[str, dict[int, int]] = {p: {} for p in due}
    url = reverse("credits:mine")
    for root in Org.objects.filter(parent__isnull=True):
        report = compliance_report(root, year, keep="short")
        units = Org.objects.in_bulk({r.unit_id for r in report.shortfalls})
        for result in report.shortfalls:
            gaps = [g for g in result.short if not g.rule.five_years]
            unit = units.get(result.unit_id)
            if not gaps or unit is None:
                continue
            owner = book.owner(HOURS_SHORT, unit.path)
            if owner not in due:
                continue
            gap = max(gaps, key=lambda g: g.missing)
            context = {
                "year": str(year),
                "today": today,
                "done": _fmt(gap.counted),
                "required": _fmt(gap.required),
                "missing": _fmt(gap.missing),
            }
            people[owner].append(Outgoing(to=To.cadre(result.cadre_id), context=context, url=url))
            per_unit[owner][unit.pk] = per_unit[owner].get(unit.pk, 0) + 1
    sent = 0
    for owner, key in due.items():
        if key not in done:
            sent += fire(key=key, kind="hours_short", items=people[owner], claim_empty=True)
        if f"{key}:units" not in done:
            sent += fire(
                key=f"{key}:units",
                kind="hours_short_unit",
                items=_contacts(per_unit[owner], year, today),
                claim_empty=True,
            )
    return {HOURS_SHORT: sent}


def _contacts(counts: dict[int, int], year: int, today: str) -> list[Outgoing]:
    names = dict(Org.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    out = []
    for unit_id, users in unit_contacts(counts).items():
        context = {
            "unit": names.get(unit_id, ""),
            "count": str(counts[unit_id]),
            "year": str(year),
            "today": today,
        }
        url = reverse("credits:org", args=[unit_id])
        out += [Outgoing(to=To.user(u), context=context, url=url) for u in users]
    return out
