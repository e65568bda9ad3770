"""Retention rules: what is deleted when its time is over, and the log of each purge.

An app registers its rules in its ``AppConfig.ready()`` (the kernel imports no app); the
periods come from the settings (``RETENTION_*``), which the « Données personnelles » page
states too. ``purge_expired_data`` lists what is due (dry run, the default) or deletes it
(``--wet-run``); both read the same ``due()``, so a dry run lists exactly what the real run
then deletes. Each deletion writes a ``PurgeLog`` row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import DataExport, PurgeLog


@dataclass(frozen=True)
class RetentionRule:
    name: str
    candidates: Callable[[object], Iterable[models.Model]]  # now -> objects past their time
    describe: Callable[[models.Model], str]
    delete: Callable[[models.Model], None]


@dataclass(frozen=True)
class DueItem:
    rule: str
    object_type: str
    object_id: int
    description: str

    def __str__(self):
        return f"{self.rule}\t{self.object_type}\t{self.object_id}\t{self.description}"


_RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> None:
    _RULES[rule.name] = rule


def rules() -> list[RetentionRule]:
    return [_RULES[name] for name in sorted(_RULES)]


def due(*, now=None) -> list[tuple[RetentionRule, models.Model, DueItem]]:
    now = now or timezone.now()
    found = []
    with translation.override(settings.LANGUAGE_CODE):
        for rule in rules():
            found += _due_of(rule, now)
    return found


def _due_of(rule: RetentionRule, now) -> list:
    found = []
    for obj in rule.candidates(now):
        item = DueItem(
            rule=rule.name,
            object_type=obj._meta.label,
            object_id=obj.pk,
            description=rule.describe(obj)[:300],
        )
        found.append((rule, obj, item))
    return found


def purge(*, now=None, wet_run: bool = False) -> list[DueItem]:
    """What is due; deleted and logged (one transaction per object) when ``wet_run``."""
    items = []
    for rule, obj, item in due(now=now):
        if wet_run:
            with transaction.atomic():
                rule.delete(obj)
                PurgeLog.objects.create(
                    rule=item.rule,
                    object_type=item.object_type,
                    object_id=item.object_id,
                    description=item.description,
                )
        items.append(item)
    return items


# --- the kernel's own rule: old personal-data archives ---------------------------------------


def _expired_exports(now):
    limit = now - timezone.timedelta(days=settings.RETENTION_DATA_EXPORT_DAYS)
    return DataExport.objects.filter(requested_at__lt=limit).order_by("pk")


def _delete_export(export):
    from .services import delete_export

    delete_export(export=export)


def register_own_rules() -> None:
    register(
        RetentionRule(
            name="data_exports",
            candidates=_expired_exports,
            describe=lambda export: (
                _("Personal-data archive of %(date)s") % {"date": f"{export.requested_at:%Y-%m-%d}"}
            ),
            delete=_delete_export,
        )
    )
