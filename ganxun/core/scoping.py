"""Fail-closed scoping.

A scoped model's default manager returns querysets that refuse to run until they are narrowed
with ``visible_to(actor)``. Code that truly spans the whole tree (jobs, demo data, migrations of
data) opens a visible ``unscoped()`` block. A forgotten filter therefore raises instead of
leaking another organization's cadres.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models import Q

_unscoped: ContextVar[bool] = ContextVar("ganxun_unscoped", default=False)


class ScopeError(RuntimeError):
    """A scoped queryset ran without ``visible_to(actor)`` and outside ``unscoped()``."""


@contextmanager
def unscoped() -> Iterator[None]:
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


class ScopedQuerySet(models.QuerySet):
    """Each model defines ``scope_q(actor)``: the Q of rows the actor may see."""

    _ganxun_scoped = False

    def visible_to(self, actor) -> "ScopedQuerySet":
        qs = self.filter(self.model.scope_q(actor))
        qs._ganxun_scoped = True
        return qs

    def unscoped(self) -> "ScopedQuerySet":
        """For code already inside ``unscoped()`` that wants to say so at the call site."""
        qs = self._chain()
        qs._ganxun_scoped = _unscoped.get()
        return qs

    def _clone(self):
        clone = super()._clone()
        clone._ganxun_scoped = self._ganxun_scoped
        return clone

    def _check_scope(self) -> None:
        if not (self._ganxun_scoped or _unscoped.get()):
            raise ScopeError(
                f"{self.model.__name__} queried without visible_to(actor) or unscoped()"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_scope()
        return super().delete()


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def subtree_q(actor, org_lookup: str, *, allowed: bool = True) -> Q:
    """Rows whose org (reached through ``org_lookup``, e.g. "survey__questionnaire__org") lies in
    the actor's subtree. Nothing at all for an inactive or org-less actor, or when the caller's
    role check (``allowed``) failed — the common shape of ``scope_q``."""
    root = getattr(actor, "org", None)
    if root is None or not actor.is_active or not allowed:
        return Q(pk__in=[])
    return Q(**{f"{org_lookup}__path__startswith": root.path})
