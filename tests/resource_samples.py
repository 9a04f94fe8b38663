"""One object of every resource in ganxun.core.resources.REGISTRY, kept by a given org: what
the registry-driven tests (permission matrix, query counts) create. A new resource adds one
line here; ``test_every_registered_resource_has_a_sample`` says so when it is missing."""

from django.urls import get_resolver

from ganxun.core.resources import REGISTRY
from tests.catalog.factories import make_base, make_course, make_lecturer, make_material, make_site

SAMPLES = {
    "catalog.course": make_course,
    "catalog.lecturer": make_lecturer,
    "catalog.site": make_site,
    "catalog.base": make_base,
    "catalog.material": make_material,
}


def registered() -> list[str]:
    """Every registered resource (importing the URLs imports the views that register them)."""
    get_resolver().url_patterns  # noqa: B018
    return sorted(REGISTRY)
