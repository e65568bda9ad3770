from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Plan and annual programme")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the "programme.*" permissions)
        from .selectors import tool_endowment_amounts
        from .totals import register_source

        register_source("tools", tool_endowment_amounts)
