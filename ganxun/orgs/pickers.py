"""Picker sources for organizations and cadres (core/picker.py): scoped searches by name or code."""

from django.db.models import Q

from ganxun.core.picker import Choice, PickerSource, register_picker
from ganxun.orgs.models import Cadre, Org


def _within(actor, within: str) -> Org | None:
    return Org.objects.visible_to(actor).filter(pk=within).first() if within else None


def search_orgs(actor, query: str, *, within: str = ""):
    """Active orgs of the actor's subtree (or of ``within``, if the actor sees it); the
    shallowest first, so an empty box offers the top of the tree."""
    found = Org.objects.visible_to(actor).filter(is_active=True).select_related("parent")
    if within:
        root = _within(actor, within)
        found = found.filter(path__startswith=root.path) if root else found.none()
    if query:
        found = found.filter(Q(name__icontains=query) | Q(code__istartswith=query))
    return found.order_by("depth", "path")


def org_choice(org: Org) -> Choice:
    return Choice(value=str(org.pk), label=org.name, hint=org.parent.name if org.parent else "")


def search_cadres(actor, query: str, *, within: str = ""):
    """Active cadres by name (or the last four digits of the ID number)."""
    found = Cadre.objects.visible_to(actor).filter(status=Cadre.Status.ACTIVE)
    if within:
        root = _within(actor, within)
        found = found.filter(unit__path__startswith=root.path) if root else found.none()
    if query:
        tail = query[-4:].upper()
        by_tail = Q(id_tail=tail) if len(query) == 4 and tail[:3].isdigit() else Q(pk__in=[])
        found = found.filter(Q(name__icontains=query) | by_tail)
    return found.select_related("unit").order_by("name", "id")


def cadre_choice(cadre: Cadre) -> Choice:
    return Choice(
        value=str(cadre.pk), label=cadre.name, hint=f"{cadre.unit.name} · …{cadre.id_tail}"
    )


register_picker("org", PickerSource(search=search_orgs, choice=org_choice))
register_picker("cadre", PickerSource(search=search_cadres, choice=cadre_choice))
