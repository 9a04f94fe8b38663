"""Finding cadres by 身份证号. Every lookup by ID number goes through here, so that how the number
is stored is decided in one place: encrypted (AES-GCM) with the keyed hash ``id_hash`` as the
only searchable form (core/crypto.py, core/encrypted.py)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from ganxun.core.crypto import blind_index

ID_CONTEXT = "orgs.cadre.id_number"


def id_hash(id_number: str) -> str:
    """The keyed hash stored in ``Cadre.id_hash`` for this (normalised, 18-digit) number."""
    return blind_index(id_number, context=ID_CONTEXT)


def cadre_by_id_number(queryset: QuerySet, id_number: str):
    """The cadre of ``queryset`` with this (normalised, 18-digit) ID number, or None."""
    return queryset.filter(id_hash=id_hash(id_number)).first()


def cadres_by_id_numbers(queryset: QuerySet, id_numbers: Iterable[str]) -> dict:
    """{id_number: cadre} for the numbers found in ``queryset`` (one query per call)."""
    by_hash = {id_hash(number): number for number in set(id_numbers)}
    return {by_hash[c.id_hash]: c for c in queryset.filter(id_hash__in=list(by_hash))}
