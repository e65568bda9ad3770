"""Personal-data rights: the archive of « Mes données » and the closing of an account.

Closing an account does not delete the account row: conventions, payments, decisions,
workflow logs and the audit trail point to it and must stay (archive rules). The person's
identity is replaced by a pseudonym (« Compte supprimé n° 123 »), the rows that only link the
person to something (memberships, subscriptions, archives) are deleted, and every text column
of every table (history tables included) that still spells the person's name, e-mail address
or phone number gets the pseudonym instead. ``AccountClosure`` keeps in which roles the person
acted, for the staff.
"""

import json
import re
import tempfile
import zipfile
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import collect
from .models import AccountClosure, DataExport

ARCHIVE_JSON = "mes-donnees.json"
SPOOL_SIZE = 10 * 1024 * 1024


# --- « Mes données » -------------------------------------------------------------------------


def request_data_export(*, user) -> DataExport:
    """Queue the building of a new archive (after the commit); the previous ones go."""
    from .tasks import build_data_export_task

    pending = DataExport.objects.filter(user=user).pending().first()
    if pending is not None:
        return pending
    for old in DataExport.objects.filter(user=user):
        delete_export(export=old)
    export = DataExport.objects.create(user=user)
    transaction.on_commit(partial(build_data_export_task.enqueue, export_id=export.pk))
    return export


def delete_export(*, export: DataExport) -> None:
    if export.file:
        export.file.delete(save=False)
    export.delete()


def _archive_document(user, archive: zipfile.ZipFile) -> dict:
    document = {
        "generated_at": timezone.now(),
        "account": collect.serialise([user]),
        "data": {},
        "files": [],
    }
    for holding in collect.holdings(user):
        objects = list(holding.queryset)
        if not objects:
            continue
        document["data"][holding.model._meta.label] = collect.serialise(objects)
        for obj in objects:
            for field_file in collect.file_fields(obj):
                document["files"].append(_add_file(archive, holding.model, obj, field_file))
    return document


def _add_file(archive, model, obj, field_file) -> dict:
    name = field_file.name.rsplit("/", 1)[-1]
    path = f"fichiers/{model._meta.label}/{obj.pk}-{name}"
    entry = {"model": model._meta.label, "pk": obj.pk, "path": path}
    try:
        with field_file.open("rb") as handle:
            archive.writestr(path, handle.read())
    except FileNotFoundError:
        entry["missing"] = True
    return entry


def build_data_export(*, export_id: int) -> DataExport:
    """Write the ZIP (a JSON file and the person's files) to the private storage."""
    export = DataExport.objects.select_related("user").get(pk=export_id)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            document = _archive_document(export.user, archive)
            content = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(ARCHIVE_JSON, content)
        export.size = spool.tell()
        spool.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        export.file.save(f"mes-donnees-{stamp}-{export.pk}.zip", File(spool), save=False)
    export.finished_at = timezone.now()
    export.save()
    return export


def mark_export_failed(*, export_id: int) -> None:
    DataExport.objects.filter(pk=export_id).update(failed=True, finished_at=timezone.now())


# --- closing an account ----------------------------------------------------------------------


def _roles_text(user) -> str:
    lines = []
    if user.is_metro_staff:
        lines.append(_("ESS officer of the Métro (staff)"))
    for membership in user.memberships.select_related("organisation"):
        lines.append(
            _("%(role)s of %(organisation)s")
            % {"role": membership.get_role_display(), "organisation": membership.organisation}
        )
    mandate = apps.get_model("governance", "Mandate") if apps.is_installed("governance") else None
    if mandate is not None:
        for item in mandate.objects.filter(person=user).select_related("college"):
            lines.append(
                _("Committee mandate in %(college)s from %(start)s")
                % {"college": item.college, "start": item.start_date.strftime("%d/%m/%Y")}
            )
    return "\n".join(lines)


def _identity(user) -> list[tuple[str, str]]:
    """(text to find, text to put instead), longest first."""
    name = pseudonym(user)
    pairs = [
        (f"{user.first_name} {user.last_name}".strip(), name),
        (f"{user.last_name} {user.first_name}".strip(), name),
        (user.email, anonymous_email(user)),
        (user.phone, ""),
    ]
    found = [(text, replacement) for text, replacement in pairs if len(text.strip()) >= 5]
    return sorted(set(found), key=lambda pair: -len(pair[0]))


def pseudonym(user) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Deleted account no. %(number)s") % {"number": user.pk}


def anonymous_email(user) -> str:
    return f"compte-supprime-{user.pk}@anonyme.invalid"


def _delete_links(user) -> None:
    """Rows that only tie the person to something (CASCADE to the account) go; records stay."""
    kept = {"admin.LogEntry"}
    for holding in collect.holdings(user):
        if holding.model._meta.label in kept:
            continue
        for name in holding.fields:
            field = holding.model._meta.get_field(name)
            if field.is_relation and field.remote_field.on_delete is models.CASCADE:
                holding.model._base_manager.filter(**{name: user}).delete()
    for export in DataExport.objects.filter(user=user):
        delete_export(export=export)


def _anonymise_account(user) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        user.first_name = _("Deleted account")
        user.last_name = _("no. %(number)s") % {"number": user.pk}
    user.email = anonymous_email(user)
    user.phone = ""
    user.job_title = ""
    user.is_active = False
    user.is_staff = False
    user.email_confirmed_at = None
    user.last_login = None
    user.set_unusable_password()
    user.save()


def close_account(*, user, password: str) -> None:
    """Close ``user``'s account after checking the password (see the module's docstring)."""
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("This is not your password.")})
    if user.is_superuser:
        raise ValidationError(
            _("An administrator account is closed by another administrator, not here.")
        )
    with transaction.atomic():
        identity = _identity(user)
        AccountClosure.objects.create(user=user, roles=_roles_text(user))
        _delete_links(user)
        _anonymise_account(user)
        scrub_text(identity, skip=user)


# --- text columns ----------------------------------------------------------------------------


def _text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.primary_key
    ]


def _replace(value: str, identity, max_length: int | None) -> str:
    for text, replacement in identity:
        value = re.sub(re.escape(text), replacement, value, flags=re.IGNORECASE)
    return value[:max_length] if max_length else value


def scrub_text(identity: list[tuple[str, str]], *, skip=None) -> int:
    """Replace each (text, replacement) of ``identity`` in every text column of every table;
    one query per model that has text columns, one update per changed row."""
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        fields = _text_fields(model)
        if not fields or not identity:
            continue
        condition = models.Q()
        for field in fields:
            for text, _replacement in identity:
                condition |= models.Q(**{f"{field.attname}__icontains": text})
        rows = model._base_manager.filter(condition)
        if skip is not None and isinstance(skip, model):
            rows = rows.exclude(pk=skip.pk)
        for row in rows.values("pk", *(field.attname for field in fields)):
            updates = {
                field.attname: _replace(row[field.attname], identity, field.max_length)
                for field in fields
                if row[field.attname]
            }
            updates = {name: value for name, value in updates.items() if value != row[name]}
            if updates:
                model._base_manager.filter(pk=row["pk"]).update(**updates)
                changed += 1
    return changed
