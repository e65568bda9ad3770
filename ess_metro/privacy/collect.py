"""What the portal holds about a person, found through the app registry (the kernel imports no
app): every row that points to the person's account, and every row whose e-mail field holds
the person's address. The export (« Mes données ») and the account closure read the same map.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models

# Secrets are never copied into an archive, even the person's own.
SECRET_FIELDS = frozenset({"password", "token", "secret", "key"})
# The archives themselves are not part of the archive.
SKIPPED_MODELS = frozenset({"privacy.DataExport"})


@dataclass(frozen=True)
class Holding:
    """The rows of one model that concern the person, and why (the fields that matched)."""

    model: type[models.Model]
    fields: tuple[str, ...]
    queryset: models.QuerySet


def _user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]


def _email_fields(model) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, models.EmailField)
    ]


def holdings(user) -> Iterator[Holding]:
    """Each model holding rows about ``user`` (one query per model when consumed)."""
    user_model = get_user_model()
    for model in apps.get_models(include_auto_created=True):
        if model is user_model or model._meta.label in SKIPPED_MODELS:
            continue
        by_account = _user_fields(model)
        by_email = _email_fields(model) if user.email else []
        if not by_account and not by_email:
            continue
        condition = models.Q()
        for name in by_account:
            condition |= models.Q(**{name: user})
        for name in by_email:
            condition |= models.Q(**{f"{name}__iexact": user.email})
        queryset = model._base_manager.filter(condition).order_by("pk")
        yield Holding(model=model, fields=(*by_account, *by_email), queryset=queryset)


def _without_secrets(record: dict) -> dict:
    fields = {
        name: ("***" if name in SECRET_FIELDS else value)
        for name, value in record["fields"].items()
    }
    return {**record, "fields": fields}


def serialise(objects) -> list[dict]:
    """Rows as Django's serialiser writes them (model, pk, fields), secrets masked."""
    return [_without_secrets(record) for record in serializers.serialize("python", objects)]


def file_fields(obj) -> Iterator[models.fields.files.FieldFile]:
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(obj, field.name)
            if value:
                yield value
