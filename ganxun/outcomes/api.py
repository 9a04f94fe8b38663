"""Read endpoints for training effectiveness (leaders' dashboards, archives, HR systems that
check a certificate), scoped like the pages."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from ganxun.core.api import ErrorOut
from ganxun.core.errors import NotFound
from ganxun.outcomes import selectors
from ganxun.outcomes.summary import program_summary

router = Router(tags=["培训成效"])


class SummaryOut(Schema):
    program_id: int
    trainees: int
    graduates: int
    reaction: dict
    learning: dict
    behaviour: dict
    results: dict
    headlines: list[str]


class CertificateOut(Schema):
    code: str
    name: str
    program: str
    start_date: date
    end_date: date
    issuer: str
    issued_at: datetime
    revoked: bool


@router.get(
    "/outcomes/programs/{program_id}/summary",
    response={200: SummaryOut, 403: ErrorOut, 404: ErrorOut},
    summary="培训项目四级评估汇总",
)
def get_summary(request, program_id: int):
    program = selectors.get_readable_program_for(request.auth, program_id)
    s = program_summary(program)
    b, r = s.behaviour, s.results
    return {
        "program_id": program.pk,
        "trainees": s.trainees,
        "graduates": s.graduates,
        "reaction": s.reaction,
        "learning": s.learning,
        "behaviour": {
            "count": b.count,
            "mean": b.mean,
            "good_share": b.good_share,
            "cadres_seen": b.cadres_seen,
            "by_rating": {str(k): v for k, v in b.by_rating.items()},
        },
        "results": {
            "accepted": r.accepted,
            "pending": r.pending,
            "by_kind": r.by_kind,
            "effects": r.effects,
        },
        "headlines": s.headlines,
    }


@router.get(
    "/certificates/{code}",
    response={200: CertificateOut, 404: ErrorOut},
    summary="查验结业证书（姓名部分隐去）",
)
def verify_certificate(request, code: str):
    cert = selectors.certificate_by_code(code)
    if cert is None:
        raise NotFound(_("证书不存在。"))
    return {
        "code": cert.display_code,
        "name": cert.masked_name,
        "program": cert.program_name,
        "start_date": cert.start_date,
        "end_date": cert.end_date,
        "issuer": cert.issuer,
        "issued_at": cert.issued_at,
        "revoked": cert.is_revoked,
    }
