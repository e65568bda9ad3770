from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "communication"
    verbose_name = _("Communication, events and statistics")

    def ready(self):
        from programme.totals import register_source

        from . import permissions  # noqa: F401 (registers the communication.* permissions)
        from .totals import event_amounts

        register_source("events", event_amounts)
