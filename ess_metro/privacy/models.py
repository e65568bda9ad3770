"""Personal-data rights: the archives of « Mes données », closed accounts, the purge log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ess_metro.models import private_storage


class DataExportStatus(models.TextChoices):
    """What the page says of an archive, derived from its dates (a background job's state,
    not a workflow of the portal: nobody decides it, the task records it)."""

    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own archives only, staff included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def pending(self):
        return self.filter(finished_at__isnull=True, failed=False)

    def ready(self):
        return self.filter(finished_at__isnull=False, failed=False).exclude(file="")


def _export_path(instance, filename):
    return f"privacy/exports/{instance.user_id}/{filename}"


class DataExport(models.Model):
    """A ZIP of everything the portal holds about a person, built in the background."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    file = models.FileField(_("file"), upload_to=_export_path, storage=private_storage, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failed = models.BooleanField(_("failed"), default=False)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal-data archive")
        verbose_name_plural = _("personal-data archives")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} — {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self):
        return self.requested_at + timezone.timedelta(days=settings.RETENTION_DATA_EXPORT_DAYS)

    @property
    def status(self) -> str:
        if self.failed:
            return DataExportStatus.FAILED
        return DataExportStatus.READY if self.finished_at else DataExportStatus.PENDING

    def get_status_display(self) -> str:
        return DataExportStatus(self.status).label

    @property
    def is_ready(self) -> bool:
        return self.status == DataExportStatus.READY and bool(self.file)


class AccountClosure(models.Model):
    """A person closed their account: the account stays, anonymised, so that the records it
    signed keep their author; this row says when, and in which roles the person acted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="closure",
        verbose_name=_("anonymised account"),
    )
    closed_at = models.DateTimeField(_("closed at"), default=timezone.now)
    roles = models.TextField(
        _("roles held"),
        blank=True,
        help_text=_("The roles and organisations of the person when the account was closed."),
    )

    class Meta:
        verbose_name = _("closed account")
        verbose_name_plural = _("closed accounts")
        ordering = ["-closed_at"]

    def __str__(self):
        return str(self.user)


class PurgeLog(models.Model):
    """One object deleted by a retention rule (``purge_expired_files``)."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    rule = models.CharField(_("rule"), max_length=50)
    object_type = models.CharField(_("type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("identifier"))
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("purge log entry")
        verbose_name_plural = _("purge log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.rule} {self.object_type} {self.object_id}"
