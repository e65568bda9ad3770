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


def audit_entries(obj) -> list[AuditEntry]:
    """Every change of an audited field of ``obj``, newest first (one query)."""
    trail = type(obj)._audit_trail
    records = list(obj.history.select_related("history_user").order_by("history_date"))
    entries = []
    for previous, record in zip([None, *records], records, strict=False):
        for name in trail.audited_fields:
            before = getattr(previous, name, None) if previous is not None else None
            after = getattr(record, name)
            if previous is not None and before == after:
                continue
            if previous is None and after in (None, ""):
                continue
            entries.append(
                AuditEntry(
                    at=record.history_date,
                    user=record.history_user,
                    field=str(obj._meta.get_field(name).verbose_name),
                    before=_shown(trail, type(obj), name, before),
                    after=_shown(trail, type(obj), name, after),
                )
            )
    entries.reverse()
    return entries
