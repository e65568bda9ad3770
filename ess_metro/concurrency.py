"""Optimistic concurrency: two tabs or two people editing the same object never lose an edit.

A model inherits ``VersionedModel``: its ``lock_version`` goes up by one at every save, in the
database (``F("version") + 1``), whoever saves. A form inherits ``VersionedFormMixin``: it
carries the version it was loaded with in a hidden field, and a save based on an older version
is refused with a French message; what the person typed is kept in the form, and each field
that differs from what is now saved shows the saved value. The hidden field then carries the
current version, so saving again (after reading the changes) replaces them on purpose.

A service that saves part of a form even when other fields are wrong (the applicant's draft)
calls ``check_version`` first, under the row lock, and saves nothing when it raises.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "lock_version"
STALE_MESSAGE = _(
    "This form was changed elsewhere (in another tab or by someone else) since you opened it: "
    "nothing was saved. What you typed is kept below; the fields that differ show what is "
    "saved now. Save again to replace the saved values with yours."
)


class StaleEdit(ValidationError):
    """A save based on an older version of the object."""

    def __init__(self, *, changes: dict[str, str] | None = None):
        self.changes = changes or {}
        super().__init__(STALE_MESSAGE, code="stale")


class VersionedModel(models.Model):
    lock_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            if not isinstance(self.lock_version, int):  # a form may have copied its None
                self.lock_version = 1
            return super().save(*args, **kwargs)
        self.lock_version = models.F(VERSION_FIELD) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], VERSION_FIELD}
        result = super().save(*args, **kwargs)
        del self.lock_version  # read again from the database when it is next needed
        return result


def check_version(instance: VersionedModel, expected: int | None) -> None:
    """Raise ``StaleEdit`` when ``instance`` (freshly read, ideally locked) is no longer at the
    version the form was loaded with. ``None`` (no version sent) is not checked."""
    if expected is not None and instance.pk is not None and instance.lock_version != expected:
        raise StaleEdit()


def sent_version(form) -> int | None:
    """The version a bound form was loaded with (None when absent or not a number)."""
    try:
        return posted_version({VERSION_FIELD: form[VERSION_FIELD].data})
    except KeyError:
        return None


def posted_version(data) -> int | None:
    """The version posted with a form's data (None when absent or not a number)."""
    try:
        return forms.IntegerField(required=False).clean(data.get(VERSION_FIELD))
    except ValidationError:
        return None


def saved_display(instance, name: str) -> str:
    """How the saved value of field ``name`` reads for a person."""
    display = getattr(instance, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(instance, name, None)
    if hasattr(value, "all"):
        value = list(value.all())
    if isinstance(value, list | tuple | set):
        value = ", ".join(str(item) for item in value)
    return gettext("(empty)") if value in (None, "") else str(value)


class VersionedFormMixin:
    """For a ``ModelForm`` of a ``VersionedModel``: refuse a stale save, show what changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=instance.lock_version if instance is not None and instance.pk else None,
        )

    def saved_values(self) -> dict[str, object]:
        """The values saved now, per form field (the instance was read for this request)."""
        names = [name for name in self.fields if name != VERSION_FIELD]
        return {
            name: self.fields[name].prepare_value(self.initial.get(name))
            for name in names
            if name in self.initial
        }

    def stale_changes(self) -> dict[str, str]:
        """Field name → the saved value, for each field where it differs from what was typed."""
        saved_object = type(self.instance)._base_manager.get(pk=self.instance.pk)
        changes = {}
        for name, saved in self.saved_values().items():
            field = self.fields[name]
            typed = self[name].data if self.is_bound else saved
            if field.has_changed(saved, typed):
                changes[name] = saved_display(saved_object, name)
        return changes

    def check_version(self) -> None:
        """Add the stale-edit errors to the form when its version is not the saved one."""
        instance = self.instance
        if instance.pk is None:
            return
        current = (
            type(instance)
            ._base_manager.filter(pk=instance.pk)
            .values_list(VERSION_FIELD, flat=True)
        ).first()
        typed = sent_version(self)
        if typed is None or current is None or typed == current:
            return
        for name, saved in self.stale_changes().items():
            self.add_error(name, gettext("Saved meanwhile: “%(value)s”.") % {"value": saved})
        self.add_error(None, StaleEdit())
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = str(current)

    def full_clean(self):
        super().full_clean()  # every clean() of the form first, whatever it calls
        if self.is_bound and hasattr(self, "cleaned_data"):
            self.check_version()
