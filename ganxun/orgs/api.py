from datetime import date

from django.core.paginator import Paginator
from ninja import Field, Router, Schema, Status

from ganxun.core.api import ErrorOut
from ganxun.core.errors import PermissionDenied
from ganxun.orgs import policies, selectors, services
from ganxun.orgs.models import Cadre, CadreCategory

router = Router(tags=["组织与干部"])


class OrgOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    depth: int
    is_active: bool


class CadreOut(Schema):
    id: int
    name: str
    gender: str
    id_number: str = Field(
        description="脱敏（110***********123X），与页面相同；仅“可读取完整身份证号”的令牌"
        "返回完整号码，每次调用记入审计日志。单人完整号码见 POST /api/cadres/{id}/id-number"
    )
    birth_date: date
    unit_id: int
    unit_name: str
    position: str = Field(description="现任职务（职务名称）")
    rank: str = Field(description="对应层次（职级对应表），空表示表中无法对应")
    rank_title: str = Field(description="职级，如管理八级、一级主任科员、乡科级正职")
    rank_system: str = Field(description="职级体系")
    personnel_category: str = Field(description="人员类别，如公务员、参照公务员法管理人员")
    categories: list[str] = Field(description="标签，如年轻干部")
    leader_role: str
    status: str


class CadreIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    id_number: str = Field(min_length=15, max_length=30)
    unit_code: str = Field(min_length=1, max_length=32)
    rank: str = Field("", description="对应层次编码（旧写法）；填写 rank_title 时可省略")
    rank_title: str = Field("", max_length=30, description="职级，任一常见写法")
    personnel_category: str = Field("", max_length=50, description="人员类别，任一常见写法")
    gender: str = Field("", pattern="^(M|F)?$")
    birth_date: date | None = None
    position: str = Field("", max_length=100)
    leader_role: str = Field("", pattern="^(secretary|head|deputy)?$")
    phone: str = Field("", max_length=20)
    categories: list[str] = Field(default_factory=list, description="标签编码")


class CadrePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CadreOut]


class IdNumberOut(Schema):
    id: int
    id_number: str


def _full_id_numbers(request) -> bool:
    """Full numbers in list/detail answers only for a token created with that scope, held by
    an account that may see them; browser sessions and other tokens get them masked."""
    token = getattr(request, "api_token", None)
    return bool(
        token is not None
        and token.reads_id_numbers
        and policies.can_see_full_id_number(request.auth)
    )


def _cadres_out(request, cadres: list[Cadre]) -> list[dict]:
    full = _full_id_numbers(request)
    if full:
        via = f"接口令牌 {request.api_token.prefix}…（{request.api_token.name}）"
        services.cadre_id_numbers_read(actor=request.auth, cadres=cadres, via=via)
    return [_cadre_out(c, full=full) for c in cadres]


def _cadre_out(c: Cadre, *, full: bool = False) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "gender": c.gender,
        "id_number": c.id_number if full else c.id_number_masked,
        "birth_date": c.birth_date,
        "unit_id": c.unit_id,
        "unit_name": c.unit.name,
        "position": c.position,
        "rank": c.rank,
        "rank_title": c.rank_title.name if c.rank_title else "",
        "rank_system": c.rank_title.get_system_display() if c.rank_title else "",
        "personnel_category": c.personnel_category.name if c.personnel_category else "",
        "categories": [cat.name for cat in c.categories.all()],
        "leader_role": c.leader_role,
        "status": c.status,
    }


def _require(policy, user):
    if not policy(user):
        raise PermissionDenied()


@router.get("/orgs", response=list[OrgOut], summary="组织列表（本级及下级）")
def list_orgs(request, parent_id: int | None = None, limit: int = 500):
    _require(policies.can_view_orgs, request.auth)
    qs = selectors.org_choices(request.auth, active_only=False)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return list(qs[: max(1, min(limit, 5000))])


@router.get("/orgs/{code}", response={200: OrgOut, 404: ErrorOut}, summary="按编码取组织")
def get_org(request, code: str):
    _require(policies.can_view_orgs, request.auth)
    return selectors.get_org_by_code_for(request.auth, code)


@router.get("/cadres", response=CadrePage, summary="干部查询")
def list_cadres(
    request, q: str = "", unit_code: str = "", rank: str = "", page: int = 1, size: int = 50
):
    _require(policies.can_view_roster, request.auth)
    unit = selectors.get_org_by_code_for(request.auth, unit_code) if unit_code else None
    qs = selectors.cadre_search(request.auth, selectors.CadreFilters(q=q, unit=unit, rank=rank))
    paginator = Paginator(qs, max(1, min(size, 500)))
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": _cadres_out(request, list(current)),
    }


@router.get("/cadres/{cadre_id}", response={200: CadreOut, 404: ErrorOut}, summary="干部详情")
def get_cadre(request, cadre_id: int):
    _require(policies.can_view_roster, request.auth)
    return _cadres_out(request, [selectors.get_cadre_for(request.auth, cadre_id)])[0]


@router.post(
    "/cadres/{cadre_id}/id-number",
    response={200: IdNumberOut, 403: ErrorOut, 404: ErrorOut},
    summary="查看某人完整身份证号（记入审计日志）",
)
def reveal_cadre_id_number(request, cadre_id: int):
    """One person's full number, on an explicit request, audited as 查看敏感信息 — the API's
    counterpart of the roster page's 显示 button."""
    cadre = selectors.get_cadre_for(request.auth, cadre_id)
    number = services.cadre_id_number_reveal(actor=request.auth, cadre=cadre, via="接口")
    return {"id": cadre.pk, "id_number": number}


@router.post(
    "/cadres",
    response={201: CadreOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="登记干部",
)
def create_cadre(request, payload: CadreIn):
    actor = request.auth
    unit = selectors.get_org_by_code_for(actor, payload.unit_code)
    categories = list(CadreCategory.objects.filter(code__in=payload.categories))
    rank_title, personnel_category = services.resolve_rank_and_category(
        payload.rank_title, payload.personnel_category
    )
    data = services.CadreData(
        rank_title=rank_title,
        personnel_category=personnel_category,
        name=payload.name,
        id_number=payload.id_number,
        unit=unit,
        rank=payload.rank,
        gender=payload.gender,
        birth_date=payload.birth_date,
        position=payload.position,
        leader_role=payload.leader_role,
        phone=payload.phone,
        categories=categories,
    )
    cadre = services.cadre_create(actor=actor, data=data)
    return Status(201, _cadre_out(selectors.get_cadre_for(actor, cadre.pk)))
