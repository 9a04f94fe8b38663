"""``__in`` on integer columns answers "no match" for values no row can hold.

Django already does this for ``exact``, ``gt``, ``lt``… (``IntegerFieldOverflow``) but sends an
``in`` list to the driver as is: on SQLite a 2⁶³ in a multi-select, or in any list of ids, is an
``OverflowError`` (a 500). Values outside the column's range match nothing, so they are dropped
from the list (an empty list is Django's usual empty result)."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
