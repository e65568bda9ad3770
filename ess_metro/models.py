"""Abstract models shared by every app of the portal."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionLog(models.Model):
    """One step of a workflow: who moved the object, when, from which state to which, and why.

    Each workflow subclasses it with a foreign key to its object (named by ``subject_field``)
    and, where useful, ``choices`` on ``from_status`` and ``to_status``.
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
