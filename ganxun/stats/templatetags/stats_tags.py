from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def stat(value) -> str:
    """A figure as the page shows it: thousands separated, money with cents, "—" for none."""
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        return f"{value:,.{places}f}"
    return str(value)


@register.filter
def row_link(table, index: int):
    links = getattr(table, "links", None) or []
    return links[index] if index < len(links) else None


@register.filter
def with_headers(row, headers):
    """(header, value) pairs, so each card cell on a phone can carry its column's name."""
    return list(zip(headers, row, strict=False))
