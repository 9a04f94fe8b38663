"""The JSON API: token auth for integrations, the same policies and scoping as the pages."""

import types
from typing import Annotated, Union, get_args, get_origin

from ninja import NinjaAPI
from ninja.security import django_auth
from pydantic import BaseModel, Field

from ganxun.accounts.api_auth import TokenAuth
from ganxun.catalog.api import router as catalog_router
from ganxun.checkin.api import router as checkin_router
from ganxun.core.errors import DomainError
from ganxun.core.values import INT_MAX, INT_MIN
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


# --- every integer the API takes is bounded -----------------------------------------------
# An unbounded ``int`` lets 2⁶³ or 10³⁰ through to a query (SQLite: OverflowError → 500) or to
# date arithmetic. Rather than annotate each endpoint, every integer of every operation's path,
# query and body models — present and future — gets the bounds of core.values; out of range is
# a 422 like any other invalid value, and the OpenAPI schema states the bounds.
BoundedInt = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]


def _bounded(annotation, seen: set):
    if annotation is int:
        return BoundedInt
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = tuple(_bounded(a, seen) for a in get_args(annotation))
        return Union[args] if args != get_args(annotation) else annotation  # noqa: UP007
    if origin is list:
        (item,) = get_args(annotation)
        bounded = _bounded(item, seen)
        # a type built at run time for pydantic, which mypy cannot follow
        return list[bounded] if bounded is not item else annotation  # type: ignore[valid-type]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _bound_model(annotation, seen)
    return annotation


def _bound_model(model: type[BaseModel], seen: set) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        bounded = _bounded(field.annotation, seen)
        if bounded is not field.annotation:
            field.annotation = bounded
    # rebuilt even when only a nested model changed: the outer one holds the nested schema
    model.model_rebuild(force=True)


def bound_integers(ninja_api: NinjaAPI) -> None:
    seen: set = set()
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _bound_model(model, seen)


bound_integers(api)
