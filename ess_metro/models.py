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


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's own exports only: anyone else's is a 404, staff included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class ExportJob(TimeStampedModel):
    """A large CSV or XLSX export built in the background (``ess_metro/export_jobs.py``).

    Its state follows from its dates (queued, running, ready, failed): it is a job, not a
    workflow, and nobody fires transitions on it. The file lives in the private storage and
    is served only to its owner.
    """

    QUEUED, RUNNING, READY, FAILED = "queued", "running", "ready", "failed"
    STATE_LABELS = {
        QUEUED: _("Queued"),
        RUNNING: _("In progress"),
        READY: _("Ready"),
        FAILED: _("Failed"),
    }

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind of export"), max_length=50)
    file_format = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    filename = models.CharField(_("file name"), max_length=150)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), upload_to="exports/%Y/%m/", storage=private_storage, blank=True
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("export_job", args=[self.pk])

    @property
    def state(self) -> str:
        if self.failed_at:
            return self.FAILED
        if self.finished_at:
            return self.READY
        return self.RUNNING if self.started_at else self.QUEUED

    @property
    def state_label(self) -> str:
        return str(self.STATE_LABELS[self.state])

    @property
    def is_pending(self) -> bool:
        return self.state in {self.QUEUED, self.RUNNING}

    @property
    def percent(self) -> int:
        if self.state == self.READY:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
