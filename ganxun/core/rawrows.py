"""Model instances from rows of a hand-written statement, without ``Model.objects.raw``.

The request's hottest statements (the bearer token with its user, the session being checked
in) are written once in SQL; ``raw()`` then costs more than the database did: it matches every
field against every column name and rebuilds its converters for each row (issue 19,
docs/benchmarks.md). Here the plan for a model — its concrete fields in order and the
converters the database backend needs for them — is made once per database vendor, so a row
becomes an instance with the same values ``raw()`` or a queryset would give.
"""

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def select_list(model: type[Model], alias: str) -> str:
    """``alias."col1", alias."col2", …``: the model's concrete columns in the order
    ``instance_from_row`` reads them."""
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(str(f.column))}" for f in model._meta.concrete_fields)


def instance_from_row(model: type[Model], values: Sequence[Any], *, db: str = "default") -> Any:
    """An instance of ``model`` from the first ``len(concrete_fields)`` values of a row read
    with ``select_list``; the rest of the row is the caller's."""
    names, converters = _plan(model, connection.vendor)
    row = list(values[: len(names)])
    for i, field_converters in converters:
        expression, value = field_converters[0], row[i]
        for convert in field_converters[1:]:
            value = convert(value, expression, connection)
        row[i] = value
    return model.from_db(db, names, row)


@functools.cache
def _plan(model: type[Model], vendor: str) -> tuple[list[str], list[tuple[int, list]]]:
    fields = model._meta.concrete_fields
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((i, [column, *found]))
    return [f.attname for f in fields], converters
