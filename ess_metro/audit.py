"""The audit trail of edits: before and after values, who and when (django-simple-history).

The workflow log says *why* an object moved from one status to another; the audit trail says
*what* was changed in the fields that matter to public money and identities: every amount,
the IBAN, an organisation's identifiers, a mandate. A model opts in with::

    history = AuditTrail(fields=["amount_granted", "iban"], masked=["iban"])

Only the named fields are copied into the historical table, and a save that changes none of
them writes nothing. The person is the request's user (``HistoryRequestMiddleware``), or the
one a service names with ``instance._history_user = user``. Staff read the changes on the
object's page through ``{% include "components/audit.html" with entries=... %}``, built by
``audit_entries(obj)``; a masked field never shows more than its first and last four
characters.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models.signals import post_init
from django.utils import formats
from simple_history.models import HistoricalRecords

from ess_metro import formatting


def mask(value) -> str:
    text = str(value or "")
    if len(text) <= 8:
        return "••••" if text else ""
    return f"{text[:4]} •••• {text[-4:]}"


class AuditTrail(HistoricalRecords):
    """HistoricalRecords limited to ``fields``, written only when one of them changes."""

    def __init__(self, *, fields, masked=(), **kwargs):
        self.audited_fields = tuple(fields)
        self.masked_fields = frozenset(masked)
        kwargs.setdefault("cascade_delete_history", False)
        super().__init__(**kwargs)

    def finalize(self, sender, **kwargs):
        if sender is self.cls:
            self.excluded_fields = [
                field.name
                for field in sender._meta.fields
                if field.name not in self.audited_fields and not field.primary_key
            ]
            sender._audit_trail = self
            post_init.connect(_snapshot, sender=sender, weak=False)
        super().finalize(sender, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and _snapshot_of(instance) == getattr(instance, "_audit_snapshot", None):
            return
        super().post_save(instance, created, using=using, **kwargs)
        instance._audit_snapshot = _snapshot_of(instance)


def _snapshot_of(instance) -> dict:
    trail = type(instance)._audit_trail
    return {
        name: instance.__dict__.get(instance._meta.get_field(name).attname)
        for name in trail.audited_fields
    }


def _snapshot(sender, instance, **kwargs):
    instance._audit_snapshot = _snapshot_of(instance)


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    user: object
    field: str
    before: str
    after: str


def _is_money(field) -> bool:
    """Amounts are DecimalField(max_digits=12, decimal_places=2) (``money.money_field``);
    shares and rates are smaller decimals."""
    return (
        isinstance(field, models.DecimalField)
        and field.decimal_places == 2
        and field.max_digits >= 10
    )


def _shown(trail, model, name: str, value) -> str:
    if value is None or value == "":
        return ""
    if name in trail.masked_fields:
        return mask(value)
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if _is_money(field):
        return formatting.money(value)
    if isinstance(field, models.DecimalField):
        return formatting.number(value, field.decimal_places)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _changed(trail, previous, record) -> list[str]:
    """The audited fields that ``record`` changed since ``previous`` (None: the first row)."""
    if previous is None:
        return [name for name in trail.audited_fields if getattr(record, name) not in (None, "")]
    return [
        name for name in trail.audited_fields if getattr(previous, name) != getattr(record, name)
    ]


def audit_entries_of(objects, *, label=None) -> list[AuditEntry]:
    """Every change of an audited field of ``objects`` (of one model), newest first, in one
    query whatever their number. ``label(obj)`` names each object before the field's name,
    for a page that lists the changes of several objects (the tranches of a convention)."""
    by_pk = {obj.pk: obj for obj in objects}
    if not by_pk:
        return []
    model = type(next(iter(by_pk.values())))
    trail = model._audit_trail
    records = model.history.filter(id__in=by_pk).select_related("history_user")
    last: dict = {}
    entries = []
    for record in records.order_by("history_date", "history_id"):
        previous, last[record.id] = last.get(record.id), record
        for name in _changed(trail, previous, record):
            field = str(model._meta.get_field(name).verbose_name)
            entries.append(
                AuditEntry(
                    at=record.history_date,
                    user=record.history_user,
                    field=f"{label(by_pk[record.id])} — {field}" if label else field,
                    before=_shown(trail, model, name, getattr(previous, name, None)),
                    after=_shown(trail, model, name, getattr(record, name)),
                )
            )
    entries.reverse()
    return entries


def audit_entries(obj) -> list[AuditEntry]:
    """Every change of an audited field of ``obj``, newest first (one query)."""
    return audit_entries_of([obj])
