"""Finding cadres by 身份证号. Every lookup by ID number goes through here, so that how the number
is stored (plain, or encrypted with a keyed-hash lookup column) is decided in one place."""

from collections.abc import Iterable

from django.db.models import QuerySet


def cadre_by_id_number(queryset: QuerySet, id_number: str):
    """The cadre of ``queryset`` with this (normalised, 18-digit) ID number, or None."""
    return queryset.filter(id_number=id_number).first()


def cadres_by_id_numbers(queryset: QuerySet, id_numbers: Iterable[str]) -> dict:
    """{id_number: cadre} for the numbers found in ``queryset`` (one query per call)."""
    wanted = set(id_numbers)
    return {c.id_number: c for c in queryset.filter(id_number__in=wanted)}
