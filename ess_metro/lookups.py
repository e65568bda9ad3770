"""``__in`` on integer columns ignores numbers that no column can hold.

Django already turns ``id=99999999999999999999`` into "no match" on every database; ``__in``
still passes such a number to SQLite, which raises ``OverflowError``: a crafted form value in a
multiple choice (``ModelMultipleChoiceField`` filters with ``pk__in``) became a server error.
Dropping out-of-range numbers gives the same answer the database would give: none matches.
"""

from django.db import models
from django.db.models.lookups import In

from ess_metro.params import MAX_ID


class InWithinIntegerRange(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or -MAX_ID - 1 <= value <= MAX_ID
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(InWithinIntegerRange)
