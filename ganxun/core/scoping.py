"""Fail-closed, ambient, inherited scoping.

**Who is acting** is set once per unit of work in a contextvar: the request middleware
(``ActorMiddleware``, right after authentication; an anonymous visitor sees nothing), API token
authentication, the job runner (the job's actor) and management commands (``--as <username>``
or the visible ``SYSTEM`` actor of a cross-tree maintenance command). ``acting_as(actor)`` is
the one way to set it.

**Scoped managers narrow to it**: inside a request ``Cadre.objects.all()`` is the request user's
view (each model's ``scope_q(actor)`` says how). With no actor in force a scoped queryset refuses
to run — at the root and when embedded in another query (``__in``, ``Subquery``, ``Exists``) —
unless it was narrowed explicitly with ``visible_to(actor)`` or runs inside a visible
``with unscoped():`` block (code that truly spans the tree: the demo, migrations, uniqueness
checks across the tree, jobs' cross-tree steps).

**Children inherit** their parent's scope: a model declaring ``scope_parent = "program"`` (or a
tuple of nullable parents, visible through any) is visible exactly when its parent is
(Indico's protection parent). See docs/ARCHITECTURE.md "Scoping".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, Self, cast

from django.db import models
from django.db.models import Q
from django.db.models.sql import Query

_unscoped: ContextVar[bool] = ContextVar("ganxun_unscoped", default=False)
_actor: ContextVar[object | None] = ContextVar("ganxun_actor", default=None)
_splitting: ContextVar[type | None] = ContextVar("ganxun_splitting", default=None)


class ScopeError(RuntimeError):
    """A scoped queryset ran without an actor in force, ``visible_to(actor)`` or ``unscoped()``."""


class _System:
    """The actor of cross-tree maintenance (``ganxun purge-audit``, the demo builder): sees all.
    Only management commands and the job runner's cross-tree steps take it, by name."""

    pk = None
    is_authenticated = True
    is_active = True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def current_actor():
    """The actor of the unit of work in progress, or None."""
    return _actor.get()


@contextmanager
def acting_as(actor) -> Iterator[None]:
    """Run the block as ``actor`` (a user, an AnonymousUser, or ``SYSTEM``)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def enter_actor(actor) -> None:
    """Set the actor for the rest of the current unit of work, for hooks that cannot wrap it
    (API token authentication runs inside the request the middleware already wraps; the
    middleware's reset ends it with the request)."""
    _actor.set(actor)


@contextmanager
def unscoped() -> Iterator[None]:
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


class ScopedQuery(Query):
    """The SQL query of a scoped queryset: remembers whether it was narrowed, and refuses to be
    embedded in another query when it was not (Django resolves every subquery through here)."""

    ganxun_scoped = False

    def split_exclude(self, *args, **kwargs):
        # exclude() across a many-valued relation builds an inner query of this same model,
        # correlated to the outer (already checked) one: that inner query may be embedded.
        token = _splitting.set(self.model)
        try:
            return super().split_exclude(*args, **kwargs)
        finally:
            _splitting.reset(token)

    def resolve_expression(self, *args, **kwargs):
        if _splitting.get() is self.model:
            self.ganxun_scoped = True  # kept by the resolved copy, re-resolved when compiled
        if not (self.ganxun_scoped or _unscoped.get()):
            name = getattr(self.model, "__name__", "?")  # a model query always has its model
            raise ScopeError(
                f"{name} used in a subquery without an actor, visible_to(actor) or unscoped()"
            )
        return super().resolve_expression(*args, **kwargs)


def _scope_parents(model) -> tuple[str, ...]:
    names = getattr(model, "scope_parent", "") or ()
    return (names,) if isinstance(names, str) else tuple(names)


def _is_scope_parent(model, obj) -> bool:
    if obj is None:
        return False
    return any(
        isinstance(obj, model._meta.get_field(name).related_model) for name in _scope_parents(model)
    )


def _actor_key(actor):
    return ("system",) if actor is SYSTEM else ("user", getattr(actor, "pk", None))


if TYPE_CHECKING:

    class _QuerySet(models.QuerySet):
        """The private QuerySet methods ScopedQuerySet extends, which the stubs leave out."""

        def _chain(self) -> Self: ...
        def _clone(self) -> Self: ...
        def _add_hints(self, **hints: Any) -> None: ...

else:
    _QuerySet = models.QuerySet


def _scoped_query(qs: models.QuerySet) -> ScopedQuery:
    return cast(ScopedQuery, qs.query)  # ScopedQuerySet always builds its query as one


class ScopedQuerySet(_QuerySet):
    """Each model defines ``scope_q(actor)`` — the Q of rows the actor may see — or inherits it
    by declaring ``scope_parent``."""

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query or ScopedQuery(model), using, hints)
        self._ganxun_actor_key = None

    @property
    def _ganxun_scoped(self) -> bool:
        return getattr(self.query, "ganxun_scoped", False)

    def _narrowed(self, actor) -> Self:
        if actor is SYSTEM:
            qs = self._chain()
        elif not getattr(actor, "is_authenticated", False):
            qs = self.filter(pk__in=[])  # an anonymous visitor sees no scoped row
        else:
            qs = self.filter(cast(Any, self.model).scope_q(actor))  # every scoped model has one
        _scoped_query(qs).ganxun_scoped = True
        qs._ganxun_actor_key = _actor_key(actor)
        return qs

    def visible_to(self, actor) -> Self:
        """Narrow to ``actor``'s view. Already narrowed to the same actor (the ambient one):
        nothing to add. Narrowed to another actor: both apply (a unit of work only narrows)."""
        if self._ganxun_actor_key == _actor_key(actor) and actor is not SYSTEM:
            return self._chain()
        if actor is SYSTEM:
            raise ScopeError("visible_to(SYSTEM): use acting_as(SYSTEM) or unscoped()")
        return self._narrowed(actor)

    def unscoped(self) -> Self:
        """For code already inside ``unscoped()`` that wants to say so at the call site."""
        qs = self._chain()
        query = _scoped_query(qs)
        query.ganxun_scoped = query.ganxun_scoped or _unscoped.get()
        return qs

    def _add_hints(self, **hints):
        """A related manager or prefetch of a held parent hints its instance: the children of a
        model's ``scope_parent`` are visible with it (``budget.incomes.all()``, prefetches)."""
        super()._add_hints(**hints)
        if _is_scope_parent(self.model, hints.get("instance")):
            _scoped_query(self).ganxun_scoped = True

    def _clone(self) -> Self:
        clone = super()._clone()
        clone._ganxun_actor_key = self._ganxun_actor_key
        return clone

    def _check_scope(self) -> None:
        if not (self._ganxun_scoped or _unscoped.get()):
            raise ScopeError(
                f"{self.model.__name__} queried without an actor, visible_to(actor) or unscoped()"
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


class BaseScopedManager(models.Manager):
    """Hands out querysets already narrowed to the ambient actor (none in force: unnarrowed, so
    they refuse to run until ``visible_to`` or ``unscoped()``). Related managers derive from the
    default manager, so ``program.sessions.all()`` is narrowed the same way."""

    def get_queryset(self):
        qs = cast(ScopedQuerySet, super().get_queryset())  # from_queryset(ScopedQuerySet)
        actor = _actor.get()
        if actor is None or _unscoped.get():
            return qs
        return qs._narrowed(actor)


ScopedManager = BaseScopedManager.from_queryset(ScopedQuerySet)


def parent_scope_q(model, actor) -> Q:
    """``scope_q`` of a model declaring ``scope_parent``: rows whose parent (any of several
    nullable parents) is visible to ``actor``. An ``IN (SELECT …)`` over the parent's own rule,
    so a parent rule joining many-valued relations cannot multiply the children."""
    parts = []
    for name in _scope_parents(model):
        parent = model._meta.get_field(name).related_model
        # scope: the parent's own rule narrows this subquery; nothing leaves core
        visible = parent._base_manager.filter(parent.scope_q(actor)).values("pk")
        parts.append(Q(**{f"{name}__in": visible}))
    return reduce(or_, parts)


class ScopedChild(models.Model):
    """Base for a model whose visibility follows its parent's: declare ``scope_parent``."""

    scope_parent: str | tuple[str, ...] = ""

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, actor) -> Q:
        return parent_scope_q(cls, actor)


def refetch(obj, *, lock: bool = False, related: tuple[str, ...] = ()):
    """The current row of ``obj``, which the caller already holds — fetched through a scoped
    helper, so authorised — optionally locked (``SELECT … FOR UPDATE`` of its own row only) to
    re-check its state inside the transaction. Reads by id from an object, never from input."""
    # scope: the caller holds the instance, so it was authorised when it was fetched
    qs = type(obj)._base_manager.select_related(*related)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=obj.pk)


def children_of(parents, model, field: str):
    """Rows of ``model`` whose ``field`` is one of ``parents``: the children of objects the caller
    holds (so authorised), as ``parent.<related>.all()`` would read them, without an actor in
    force. ``parents`` is a fetched instance, a list of them, or a narrowed scoped queryset —
    never ids from input."""
    if isinstance(parents, models.QuerySet):
        return model._base_manager.filter(**{f"{field}__in": parents})  # checked as a subquery
    many = isinstance(parents, list | tuple | set)
    items = list(parents) if many else [parents]
    if not all(isinstance(p, models.Model) and p.pk is not None for p in items):
        raise ScopeError("children_of() takes fetched instances, not ids")
    # scope: the children of held, authorised parents (Indico's protection parent)
    base = model._base_manager
    return base.filter(**{f"{field}__in": items}) if many else base.filter(**{field: parents})


def subtree_q(actor, org_lookup: str, *, allowed: bool = True) -> Q:
    """Rows whose org (reached through ``org_lookup``, e.g. "survey__questionnaire__org") lies in
    the actor's subtree. Nothing at all for an inactive or org-less actor, or when the caller's
    role check (``allowed``) failed — the common shape of ``scope_q``."""
    root = getattr(actor, "org", None)
    if root is None or not actor.is_active or not allowed:
        return Q(pk__in=[])
    return Q(**{f"{org_lookup}__path__startswith": root.path})
