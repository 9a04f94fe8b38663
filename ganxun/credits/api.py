"""Credits endpoints: a unit's compliance (same numbers as the CLI and the pages) and a cadre's
ledger, scoped like the pages."""

from datetime import date

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from ganxun.core.api import ErrorOut
from ganxun.core.errors import PermissionDenied
from ganxun.credits import policies, selectors
from ganxun.orgs.selectors import get_org_by_code_for

router = Router(tags=["学时学分"])


class UnitOut(Schema):
    code: str
    cadres: int
    compliant: int


class ComplianceOut(Schema):
    cadres: int
    compliant: int
    units: list[UnitOut]


class EntryOut(Schema):
    id: int
    day: date
    hours: float
    channel: str
    title: str
    source: str
    reverses: int | None
    reason: str


class RecordOut(Schema):
    cadre: int
    year: int
    entries: list[EntryOut]
    missing: list[dict]


class YearIn(Schema):
    # The ledger's calendar: a five-year window must stay within what dates can hold.
    year: int | None = Field(None, ge=1950, le=2100)


def _year(params: YearIn) -> int:
    return params.year or timezone.localdate().year


@router.get(
    "/credits/compliance/{code}",
    response={200: ComplianceOut, 403: ErrorOut, 404: ErrorOut},
    summary="单位学时达标统计",
)
def compliance(request, code: str, params: Query[YearIn]):
    if not policies.can_view_compliance(request.auth):
        raise PermissionDenied()
    org = get_org_by_code_for(request.auth, code)
    return selectors.compliance_summary(org, _year(params))


@router.get(
    "/credits/cadres/{cadre_id}",
    response={200: RecordOut, 404: ErrorOut},
    summary="干部培训档案（学时记录）",
)
def cadre_record(request, cadre_id: int, params: Query[YearIn]):
    cadre = selectors.get_cadre_for(request.auth, cadre_id)
    record = selectors.cadre_record(cadre, _year(params))
    return {
        "cadre": cadre.pk,
        "year": record.year,
        "entries": [
            {
                "id": e.pk,
                "day": e.day,
                "hours": float(e.hours),
                "channel": e.get_channel_display(),
                "title": e.title,
                "source": e.source,
                "reverses": e.reverses_id,
                "reason": e.reason,
            }
            for e in record.entries
        ],
        "missing": [
            {"requirement": g.rule.name, "counted": g.counted, "required": g.required}
            for g in record.gaps
            if g.missing
        ],
    }
