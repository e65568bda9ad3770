"""Abstract models shared by every app of the portal.

- ``TimeStampedModel``: ``created_at`` and ``updated_at``;
- ``PrivateFile``: a document kept in the private storage, never under a public URL, served
  only by ``ess_metro.downloads.protected_download`` after an access check;
- ``TransitionLog``: one step of a workflow (see ``ess_metro.workflow``).
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def private_storage():
    """The storage of attachments, receipts and minutes: outside the public media URL."""
    return storages["private"]


def _private_upload_to(instance, filename):
    return instance.upload_path(filename)


class PrivateFile(models.Model):
    """A document uploaded by a person and kept in the private storage.

    Subclasses add the foreign key to what the document belongs to and may override
    ``upload_path``; ``ess_metro.uploads.validate_upload`` checks the content before saving.
    """

    upload_prefix = "files"

    file = models.FileField(_("file"), upload_to=_private_upload_to, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=150)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def upload_path(self, filename: str) -> str:
        return f"{self.upload_prefix}/{timezone.now():%Y}/{filename}"

    @property
    def download_name(self) -> str:
        return self.original_name or self.file.name.rsplit("/", 1)[-1]


class TransitionLog(models.Model):
    """One step of a workflow: who moved the object, when, from which state to which, and why.

    Each workflow subclasses it with a foreign key to its object (named by ``subject_field``).
    The labels of the states come from the subject's ``status`` choices.
    """

    subject_field = ""

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    # PROTECT: a person who took a decision stays traceable (deactivate accounts, never delete
    # them); empty for the portal's own automatic steps.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{getattr(self, self.subject_field)} : {self.from_status} → {self.to_status}"

    def status_labels(self) -> dict:
        subject = self._meta.get_field(self.subject_field).related_model
        return dict(subject._meta.get_field("status").flatchoices)

    def _label(self, value: str) -> str:
        return str(self.status_labels().get(value, value or "—"))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
