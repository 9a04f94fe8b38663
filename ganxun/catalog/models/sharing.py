"""Sharing down the tree (资源共建共享).

Every resource belongs to an org (``owner``). It is visible to:
  - the owner's subtree, i.e. to any account whose org is the owner or lies below it — a city's
    faculty pool serves its counties and townships;
  - the accounts *above* the owner, who manage that part of the tree (a county sees what its
    townships keep) — and only they may edit it;
  - when the owner has published it upward (``shared_up``), the parent's whole subtree as well,
    so sibling townships can use a good teaching point one of them found.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ganxun.core.models import Timestamped
from ganxun.core.scoping import ScopedManager


def lineage_ids(org) -> list[int]:
    """The org and its ancestors: the owners whose resources flow down to it."""
    return [*org.ancestor_ids, org.pk]


def shared_scope_q(actor, *, field: str = "owner", shared_up: bool = True) -> Q:
    root = getattr(actor, "org", None)
    if root is None or not actor.is_active:
        return Q(pk__in=[])
    lineage = lineage_ids(root)
    q = Q(**{f"{field}_id__in": lineage}) | Q(**{f"{field}__path__startswith": root.path})
    if shared_up:
        q |= Q(shared_up=True, **{f"{field}__parent_id__in": lineage})
    return q


class SharedResource(Timestamped):
    owner = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属组织")
    )
    shared_up = models.BooleanField(_("已推荐上级共享"), default=False)

    objects = ScopedManager()

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, actor) -> Q:
        return shared_scope_q(actor)
