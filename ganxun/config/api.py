"""The JSON API: token auth for integrations, the same policies and scoping as the pages."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ganxun.accounts.api_auth import TokenAuth
from ganxun.catalog.api import router as catalog_router
from ganxun.checkin.api import router as checkin_router
from ganxun.core.errors import DomainError
from ganxun.credits.api import router as credits_router
from ganxun.enrollment.api import router as enrollment_router
from ganxun.evaluations.api import router as evaluations_router
from ganxun.orgs.api import router as orgs_router
from ganxun.outcomes.api import router as outcomes_router
from ganxun.programs.api import router as programs_router

api = NinjaAPI(
    title="ganxun API",
    version="1",
    description="干训平台接口。认证：`Authorization: Bearer <令牌>`（在“接口令牌”页面创建）。",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


api.add_router("/", orgs_router)
api.add_router("/", catalog_router)
api.add_router("/", programs_router)
api.add_router("/", outcomes_router)
api.add_router("/", checkin_router)
api.add_router("/", credits_router)
api.add_router("/", enrollment_router)
api.add_router("/", evaluations_router)
