from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects, calls and conventions")

    def ready(self):
        from projects.calls_totals import register as register_call_totals

        register_call_totals()
